"""`dvk serve`: the build's own files (open data, feeds, CSV) that a rebuild left unchanged
stay in the served site instead of going through mkdocs again.

A preview rebuild updates the site it serves (build/kept.py), but every file handed to
mkdocs is written anew into the emptied site folder and then moved over its namesake:
at 10,000 entries that was 10,000 citation files, written and moved after every save
(mkdocs' copy_static_files, about a second of the rebuild). The served site holds exactly
what the last good rebuild made, so a file whose bytes have the digest it had then is
left where it is (the kept-tree update leaves those paths alone and removes what this
rebuild no longer makes); the others go through mkdocs as before. Without a kept tree
(the first rebuild, one with content errors, one whose tree was discarded) every file
goes through mkdocs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from mkdocs.structure.files import File, Files

from .build.cache import write_inside
from .mkdocs_files import drop_file, replace_file


def digest_bytes(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class ServedFilesMixin:
    """Methods of DvkPlugin (it holds serving, kept_tree and the last good files)."""

    def _add_made_files(self, files: Files, config, made: list) -> None:
        """Hand the build's own files to mkdocs, but in a preview with a kept tree only those
        whose bytes differ from what the served site holds (see the module docstring)."""
        serving = getattr(self, "serving", False)
        digests = {spec.path: digest_bytes(spec.data) for spec in made} if serving else {}
        served = getattr(self, "served_digests", {}) if getattr(self, "kept_tree", None) is not None else {}
        left = [spec for spec in made if served and served.get(spec.path) == digests[spec.path]]
        left_paths = frozenset(spec.path for spec in left)
        for spec in made:
            if spec.path in left_paths:
                drop_file(files, spec.path)  # a same-named docs/ file must not replace it
            else:
                replace_file(files, File.generated(config, spec.path, content=spec.content))
        self.left_files = left  # FileSpecs: written by _place_left_files when no tree keeps them
        self.made_digests = digests  # the served site's, once this rebuild is in place

    def _left_paths(self) -> frozenset[str]:
        return frozenset(spec.path for spec in getattr(self, "left_files", []))

    def _place_left_files(self, site_dir) -> None:
        """Write the left files into `site_dir` after all (no kept tree took this build)."""
        for spec in getattr(self, "left_files", []):
            write_inside(Path(site_dir), spec.path, spec.data)  # (refuses a path out of the site)

    def _remember_served(self, published: bool) -> None:
        """After a rebuild: the digests of what the served site now holds (none when the
        rebuild did not update the kept tree, so the next one hands every file to mkdocs)."""
        self.served_digests = getattr(self, "made_digests", {}) if published else {}
        self.made_digests, self.left_files = {}, []

    def _last_good_made(self) -> list:
        return list(getattr(self, "left_files", []))
