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

Which tree that is (the spare, or one being copied) is build/spare.py's part.

Nothing in the kept tree is trusted: each kept page is checked against the blob it must be
and every other file is replaced or removed, so a tree left by an interrupted build, or
with files deleted or replaced by hand, still ends equal to a clean build, byte for byte
(tests/site/test_incremental.py). A page written *in place* is another matter: it is the
blob itself (same inode), so the cache holds the edit too; the README says not to, and
that deleting .cache/dvk/ undoes it.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

COPY_SUFFIXES = (".br", ".gz")
_LEAVE = object()  # in TreeUpdate's tree of placed pages: a path left as it is (`later`)


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
    recorded: int = 0  # folders known from the tree's record, not listed (treerecord.py)


@dataclass
class TreeListing:
    """Every file of the updated tree, as the update saw it (paths relative, with "/"), so
    precompress need not walk 60,000 files again: `files` {path: size} (the size only of
    text files, -1 for the others), `copies` {path: inode} of the .br/.gz copies kept beside
    cached pages (not checked yet; None: a new file, e.g. mkdocs' sitemap.xml.gz), `placed`
    the cached pages (each checked or linked)."""

    files: dict[str, int]
    copies: dict[str, int | None]
    placed: frozenset[str]


class TreeUpdate:
    """One update of a kept tree (see the module docstring)."""

    def __init__(self, kept: Path, trash: Path, is_text=lambda name: False, record=None):
        self.kept, self.trash = Path(kept), Path(trash)
        self.record = record  # what the tree's folders held when it was published (treerecord.py)
        self.stats = UpdateStats()
        self._trashed = 0
        self._device = os.stat(self.kept).st_dev
        self._is_text = is_text  # files whose size the listing holds (compressed.is_text_asset)
        self.files: dict[str, int] = {}
        self.copies: dict[str, int | None] = {}
        self.placed: set[str] = set()

    def run(self, fresh: Path, placed: dict[str, Path], later: frozenset[str] = frozenset()) -> UpdateStats:
        """Make the kept tree hold the files of `fresh` (moved) and `placed` ({site path
        relative to the root, with "/": blob}), and nothing else but the copies beside
        placed pages and the entries at the paths in `later`, left as they are (the
        folders a background run makes whole, moved in by `move_in` once it is done;
        `fresh` must not have them)."""
        tree: dict = {}
        for relative, blob in [*placed.items(), *((path, _LEAVE) for path in later)]:
            node = tree
            *folders, name = relative.split("/")
            for folder in folders:
                node = node.setdefault(folder, {})
            node[name] = blob if blob is _LEAVE else str(blob)
        self._merge(str(self.kept), str(fresh), tree, "")
        return self.stats

    def move_in(self, folder: Path, whole: frozenset[str] = frozenset()) -> TreeListing:
        """Move every file of `folder` (a background run's, build/background.py) into the
        tree after `run`: a folder at a path in `whole` replaces its namesake entirely
        (the run makes all of it; one it did not make is removed), any other file
        replaces its namesake. Returns
        the listing of the moved files only, with the .br/.gz copies of a replaced file
        (for precompress to check)."""
        self.files, self.copies, self.placed = {}, {}, set()
        missing = [path for path in sorted(whole) if not os.path.lexists(os.path.join(folder, path))]
        self._move_in(str(self.kept), str(folder), "", frozenset(whole))
        for path in missing:  # not made this time (no entry left): the old one goes too
            parent, name = os.path.split(os.path.join(self.kept, path))
            there = _entries(parent).get(name) if os.path.isdir(parent) else None
            if there is not None:
                self._discard(there)
        return self.listing

    def put_in_place(self, site_dir: Path) -> None:
        """Put the updated tree at `site_dir`'s path; what the host wrote there (only the
        folders merged above are left in it) and everything discarded are deleted in the
        background."""
        self.trash.mkdir(exist_ok=True)
        os.rename(site_dir, self.trash / "new")  # (the trash's own entries are numbered)
        os.rename(self.kept, site_dir)
        remove_later(self.trash)

    @property
    def listing(self) -> TreeListing:
        return TreeListing(self.files, self.copies, frozenset(self.placed))

    def _merge(self, kept: str, fresh: str | None, node: dict, prefix: str) -> None:
        old = self.record.entries(kept, prefix) if self.record is not None else None
        if old is None:
            old = _entries(kept)
        else:
            self.stats.recorded += 1
        new = _entries(fresh) if fresh is not None else {}
        for name, entry in new.items():
            target = os.path.join(kept, name)
            sub = node.get(name)
            there = old.get(name)
            is_dir = entry.is_dir(follow_symlinks=False)
            if isinstance(sub, dict) and is_dir:
                # cached pages go in here too: the new folder's files move in one by one
                # (moved whole, its files would be compared with the cached pages only)
                if there is not None and not there.is_dir(follow_symlinks=False):
                    self._discard(there)
                    there = None
                if there is None:
                    os.mkdir(target)
                self._merge(target, entry.path, sub, f"{prefix}{name}/")
                continue
            if there is not None and (there.is_dir(follow_symlinks=False) or is_dir):
                self._discard(there)  # (a file replaces a file in the rename itself)
            if is_dir:
                self._list_folder(entry.path, f"{prefix}{name}/")
            else:
                self._list_file(f"{prefix}{name}", entry)
            os.replace(entry.path, target)
            self.stats.moved += 1
        for name, entry in old.items():
            if name in new:
                continue
            sub = node.get(name)
            if sub is _LEAVE:
                continue
            if sub is None:
                if name.endswith(COPY_SUFFIXES) and isinstance(node.get(name[:-3]), str) and entry.is_file(follow_symlinks=False):
                    self.copies[f"{prefix}{name}"] = entry.inode()  # checked by precompress
                else:
                    self._discard(entry)  # not made by this build
            elif isinstance(sub, dict):
                if not entry.is_dir(follow_symlinks=False):
                    self._discard(entry)
                    os.mkdir(entry.path)
                self._merge(entry.path, None, sub, f"{prefix}{name}/")
            else:
                size = self._blob_size(entry, sub)
                if size is None:
                    self._discard(entry)
                    size = self._link(sub, entry.path)
                else:
                    self.stats.kept += 1
                self._list_placed(f"{prefix}{name}", size)
        for name, sub in node.items():
            if name in old or name in new or sub is _LEAVE:
                continue
            target = os.path.join(kept, name)
            if isinstance(sub, dict):
                os.mkdir(target)
                self._merge(target, None, sub, f"{prefix}{name}/")
            else:
                self._list_placed(f"{prefix}{name}", self._link(sub, target))

    def _move_in(self, kept: str, source: str, prefix: str, whole: frozenset[str]) -> None:
        old = _entries(kept)
        for name, entry in _entries(source).items():
            target = os.path.join(kept, name)
            there = old.get(name)
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and there is not None and there.is_dir(follow_symlinks=False) and prefix + name not in whole:
                self._move_in(target, entry.path, f"{prefix}{name}/", whole)
                continue
            if there is not None and (is_dir or there.is_dir(follow_symlinks=False)):
                self._discard(there)
            elif there is not None:  # a file replaced: its old copies stay for precompress to check
                for suffix in COPY_SUFFIXES:
                    copy = old.get(name + suffix)
                    if copy is not None and copy.is_file(follow_symlinks=False):
                        self.copies[f"{prefix}{name}{suffix}"] = copy.inode()
            if is_dir:
                self._list_folder(entry.path, f"{prefix}{name}/")
            else:
                self._list_file(f"{prefix}{name}", entry)
            _move(entry.path, target, is_dir)
            self.stats.moved += 1

    def _blob_size(self, entry: os.DirEntry, blob: str) -> int | None:
        """The blob's size when `entry` is that very file (same inode), else None."""
        try:
            if not entry.is_file(follow_symlinks=False):
                return None
            theirs = os.stat(blob)
        except OSError:
            return None
        return theirs.st_size if entry.inode() == theirs.st_ino and theirs.st_dev == self._device else None

    def _link(self, blob: str, target: str) -> int:
        from .cache import place_blob

        place_blob(blob, target)
        self.stats.linked += 1
        return os.stat(target).st_size

    def _list_placed(self, relative: str, size: int) -> None:
        self.placed.add(relative)
        self.files[relative] = size if self._is_text(relative) else -1

    def _list_file(self, relative: str, entry: os.DirEntry) -> None:
        if relative.endswith(COPY_SUFFIXES):
            self.copies[relative] = None  # a writer's own (mkdocs' sitemap.xml.gz): precompress reads it
            return
        self.files[relative] = entry.stat(follow_symlinks=False).st_size if self._is_text(entry.name) else -1

    def _list_folder(self, folder: str, prefix: str) -> None:
        from .walk import walk_files

        for relative, entry in walk_files(Path(folder)):
            if entry.is_file(follow_symlinks=False):
                self._list_file(prefix + relative, entry)

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


def _move(source: str, target: str, is_dir: bool) -> None:
    """A rename, or a copy when `source` is on another file system (DVK_CACHE_DIR)."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        if is_dir:
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)


def trash_for(site_dir: Path) -> Path:
    """Where a tree update puts what it discards (deleted in the background)."""
    return site_dir.with_name(site_dir.name + ".trash")


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
