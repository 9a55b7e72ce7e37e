"""The previous site, updated instead of made again: a rebuild touches what changed.

`dvk build` writes a new folder and swaps it in whole (sitecli.swap_into_place), so a
reader never sees half a site. At 10,000 entries a new folder meant 11,700 folders and
36,000 hard links (pages placed from the output cache and their .br/.gz copies) on every
build, 2–4 s on this disk when one entry had changed, and as long again to delete the
replaced site. So the replaced site is kept beside the published one (`.site.spare`) and
the next build updates *that* tree, then swaps it in:

- the host (mkdocs and dvk's writers) still writes everything it makes into a new, small
  folder; each of those files replaces its namesake in the kept tree, and a folder the kept
  tree lacks (or that holds no kept page) moves in with one rename;
- a page placed from the output cache stays where it is when it is still a hard link to its
  blob (same inode), else it is linked again; its .br/.gz copies stay for precompress to
  check the same way (precompress.place_known_copies);
- everything else in the kept tree is removed (folders in one rename into a trash folder
  that is deleted after the build).

Nothing in the kept tree is trusted: each kept page is checked against the blob it must be
and every other file is replaced or removed, so a tree left by an interrupted build or
edited by hand still ends equal to a clean build, byte for byte (tests/site/test_incremental.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

COPY_SUFFIXES = (".br", ".gz")


def spare_path(target: Path) -> Path:
    """Where the site replaced by the last swap is kept (hidden, beside site/)."""
    return target.with_name(f".{target.name}.spare")


def take_spare(target: Path) -> Path | None:
    """The kept tree under this build's own name (`.site.kept-PID`, removed as a leftover
    if the build dies), or None when there is none to update."""
    spare = spare_path(target)
    if spare.is_symlink() or not spare.is_dir():
        return None
    kept = target.with_name(f".{target.name}.kept-{os.getpid()}")
    try:
        os.rename(spare, kept)
    except OSError:
        return None
    return kept


class KeptTree:
    """The tree a build updates (see the module docstring): the spare, or, when there is
    none yet (the first build after a cold one), a copy of the published site being made
    with hard links by `cp -al` beside the build's first stages (a second process: it
    reads the published site, which the build never touches before its swap)."""

    def __init__(self, path: Path, making: subprocess.Popen | None = None):
        self.path, self._making = path, making

    def ready(self) -> Path | None:
        """The tree once made, else None (the copy failed: the build writes a new folder)."""
        if self._making is not None:
            failed = self._making.wait() != 0
            self._making = None
            if failed or not self.path.is_dir():
                remove_later(self.path)
                return None
        return self.path if self.path.is_dir() else None

    def discard(self) -> None:
        if self._making is not None and self._making.poll() is None:
            self._making.kill()
            self._making.wait()
        self._making = None
        remove_later(self.path)


def keep_tree_for(target: Path) -> KeptTree | None:
    """The spare as this build's kept tree, or a copy of the published site started now
    (`cp -al`), or None (no published site, no `cp`)."""
    taken = take_spare(target)
    if taken is not None:
        return KeptTree(taken)
    if target.is_symlink() or not target.is_dir():
        return None
    kept = target.with_name(f".{target.name}.kept-{os.getpid()}")
    try:
        making = subprocess.Popen(["cp", "-al", "--", str(target), str(kept)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    return KeptTree(kept, making)


def set_served_site_aside(site_dir: Path) -> Path | None:
    """`dvk serve`: move the site it serves aside (`<folder>.kept-PID`) and leave an empty
    folder for the rebuild; None when there is nothing to keep (the first build)."""
    try:
        if site_dir.is_symlink() or not site_dir.is_dir() or not any(os.scandir(site_dir)):
            return None
        kept = site_dir.with_name(f"{site_dir.name}.kept-{os.getpid()}")
        discard_now(kept)
        os.rename(site_dir, kept)
        os.mkdir(site_dir)
    except OSError:
        return None
    return kept


def discard_now(folder: Path | None) -> None:
    """Remove a build's folder at once (a failed build's staging, a stale kept tree)."""
    if folder is not None and Path(folder).exists():
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class UpdateStats:
    moved: int = 0  # files and folders moved in from the new folder
    kept: int = 0  # cached pages already in place
    linked: int = 0  # cached pages linked again
    removed: int = 0  # files and folders of the old tree no longer made


class TreeUpdate:
    """One update of a kept tree (see the module docstring)."""

    def __init__(self, kept: Path, trash: Path):
        self.kept, self.trash = Path(kept), Path(trash)
        self.stats = UpdateStats()
        self._trashed = 0
        self._device = os.stat(self.kept).st_dev

    def run(self, fresh: Path, placed: dict[str, Path]) -> UpdateStats:
        """Make the kept tree hold the files of `fresh` (moved) and `placed` ({site path
        relative to the root, with "/": blob}), and nothing else but the copies beside
        placed pages."""
        tree: dict = {}
        for relative, blob in placed.items():
            node = tree
            *folders, name = relative.split("/")
            for folder in folders:
                node = node.setdefault(folder, {})
            node[name] = str(blob)
        self._merge(str(self.kept), str(fresh), tree)
        return self.stats

    def _merge(self, kept: str, fresh: str | None, node: dict) -> None:
        old = _entries(kept)
        new = _entries(fresh) if fresh is not None else {}
        for name, entry in new.items():
            target = os.path.join(kept, name)
            sub = node.get(name)
            there = old.get(name)
            if isinstance(sub, dict) and entry.is_dir(follow_symlinks=False) and there is not None and there.is_dir(follow_symlinks=False):
                self._merge(target, entry.path, sub)  # cached pages inside: merge
                continue
            if there is not None and (there.is_dir(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
                self._discard(there)  # (a file replaces a file in the rename itself)
            os.replace(entry.path, target)
            self.stats.moved += 1
            if isinstance(sub, dict) and entry.is_dir(follow_symlinks=False):
                self._merge(target, None, sub)  # a new folder with cached pages to link in
        for name, entry in old.items():
            if name in new:
                continue
            sub = node.get(name)
            if sub is None:
                if not (name.endswith(COPY_SUFFIXES) and isinstance(node.get(name[:-3]), str)):
                    self._discard(entry)  # not made by this build (copies of cached pages stay)
            elif isinstance(sub, dict):
                if entry.is_dir(follow_symlinks=False):
                    self._merge(entry.path, None, sub)
                else:
                    self._discard(entry)
                    os.mkdir(entry.path)
                    self._merge(entry.path, None, sub)
            elif not self._is_blob(entry, sub):
                self._discard(entry)
                self._link(sub, entry.path)
            else:
                self.stats.kept += 1
        for name, sub in node.items():
            if name in old or name in new:
                continue
            target = os.path.join(kept, name)
            if isinstance(sub, dict):
                os.mkdir(target)
                self._merge(target, None, sub)
            else:
                self._link(sub, target)

    def _is_blob(self, entry: os.DirEntry, blob: str) -> bool:
        try:
            if not entry.is_file(follow_symlinks=False):
                return False
            theirs = os.stat(blob)
        except OSError:
            return False
        return entry.inode() == theirs.st_ino and theirs.st_dev == self._device

    def _link(self, blob: str, target: str) -> None:
        from .cache import place_blob

        place_blob(blob, target)
        self.stats.linked += 1

    def _discard(self, entry: os.DirEntry) -> None:
        """A file is unlinked; a folder moves into the trash (deleted after the build)."""
        self.stats.removed += 1
        if not entry.is_dir(follow_symlinks=False):
            os.unlink(entry.path)
            return
        self.trash.mkdir(exist_ok=True)
        self._trashed += 1
        os.rename(entry.path, self.trash / str(self._trashed))


def _entries(folder: str) -> dict[str, os.DirEntry]:
    with os.scandir(folder) as found:
        return {entry.name: entry for entry in found}


def update_kept_tree(kept: Path, site_dir: Path, placed: dict[str, Path]) -> UpdateStats:
    """Update `kept` with what this build wrote into `site_dir` and the cached pages
    `placed`, then put it at `site_dir`'s path; the rest is deleted in the background."""
    trash = site_dir.with_name(site_dir.name + ".trash")
    stats = TreeUpdate(kept, trash).run(site_dir, placed)
    trash.mkdir(exist_ok=True)
    os.rename(site_dir, trash / "new")  # only the folders merged above are left in it
    os.rename(kept, site_dir)
    remove_later(trash)
    return stats


def remove_later(folder: Path | None) -> None:
    """Delete a folder in the background: on a slow disk unlinking ten thousand pages took
    longer than building the changed ones. A removal cut short is finished by the next
    build (buildlock.remove_leftovers)."""
    if folder is None or not folder.exists():
        return
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
