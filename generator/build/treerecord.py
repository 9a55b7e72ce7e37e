"""What each folder of a published site held, so updating that tree later reads only the
folders that changed since.

A build updates the site the swap before last published (build/kept.py) and must know what
every folder of it holds: at 10,000 entries that was 11,800 directory listings per one-edit
build, 0.15–0.7 s on this disk depending on what else ran. Most of those folders are as
the build that published the tree left them. The walk that stamps the published site for
the no-change check (build/unchanged.py) reads every folder anyway; it also records each
folder's identity and change time with its entries' names, inodes and kinds. The next
update of that tree stats a folder (one system call) and, when it is unchanged, takes the
recorded entries instead of listing it.

Why a folder's change time is enough: adding, removing, renaming or linking anything in a
folder sets its change time (ctime, which no user can set back, unlike mtime), so the same
inode with the same ctime has the same names for the same inodes. What the record cannot
see is a file rewritten in place, which the update does not see either: it compares a
kept page with its blob by inode (kept.TreeUpdate._blob_size).

Folders changed less than RACY_NS before the walk are not recorded: a file system stamps
changes with a coarse clock, so a change right after the walk could leave the same ctime
(git's "racy" index entries, same remedy); where stamps are whole seconds, less than
COARSE_NS before. The root is never recorded: each build renames it.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from .cache import write_pid_partial

RECORDS = "trees"  # under the project's cache folder: one file per tree (by device and inode)
KEEP = 3  # the published site, the spare, and one being replaced
RACY_NS = 200_000_000
COARSE_NS = 2_000_000_000  # the same, where the file system stamps whole seconds (ext3, small ext4 inodes)
VERSION = 1

DIR, FILE, OTHER = 1, 2, 3


def folder_stamp(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_ino, stat.st_ctime_ns


class TreeRecorder:
    """Collects the record during a walk (build/walk.walk_files' `on_folder`)."""

    def __init__(self) -> None:
        self.folders: dict[str, tuple] = {}
        self.since = time.time_ns() - RACY_NS

    def add(self, prefix: str, stat: os.stat_result, entries: list[os.DirEntry]) -> None:
        """One folder, `prefix` its path relative to the root with a trailing "/" ("" the root)."""
        if not prefix or stat.st_ctime_ns >= self.since:
            return
        if stat.st_ctime_ns % 1_000_000_000 == 0 and stat.st_ctime_ns >= self.since + RACY_NS - COARSE_NS:
            return  # a whole-second stamp: a change in the same second would keep it
        names, inodes, kinds = [], [], []
        try:
            for entry in entries:
                names.append(entry.name)
                inodes.append(entry.inode())
                kinds.append(DIR if entry.is_dir(follow_symlinks=False) else FILE if entry.is_file(follow_symlinks=False) else OTHER)
        except OSError:
            return
        self.folders[prefix] = (folder_stamp(stat), tuple(names), tuple(inodes), bytes(kinds))

    def save(self, cache_dir: Path, root: Path) -> None:
        """Keep the record of the tree at `root` (the KEEP newest records stay)."""
        try:
            stat = os.stat(root)
        except OSError:
            return
        folder = Path(cache_dir) / RECORDS
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / _record_name(stat)
        os.replace(write_pid_partial(path, pickle.dumps((VERSION, self.folders), protocol=pickle.HIGHEST_PROTOCOL)), path)
        _drop_old_records(folder)


class RecordedEntry:
    """A folder entry as recorded, answering what kept.TreeUpdate asks an os.DirEntry."""

    __slots__ = ("_folder", "name", "_inode", "_kind")

    def __init__(self, folder: str, name: str, inode: int, kind: int):
        self._folder, self.name, self._inode, self._kind = folder, name, inode, kind

    @property
    def path(self) -> str:  # made when asked: most entries are only looked at
        return f"{self._folder}/{self.name}"

    def inode(self) -> int:
        return self._inode

    def is_dir(self, follow_symlinks: bool = True) -> bool:
        return self._kind == DIR

    def is_file(self, follow_symlinks: bool = True) -> bool:
        return self._kind == FILE


class TreeRecord:
    """The recorded folders of one tree, checked one by one as the update reaches them."""

    def __init__(self, folders: dict[str, tuple]):
        self.folders = folders
        self.used = 0  # folders taken from the record (not listed)

    def entries(self, path: str, prefix: str) -> dict[str, RecordedEntry] | None:
        """The entries of the folder at `path` (relative `prefix`) when it is as recorded."""
        known = self.folders.get(prefix)
        if known is None:
            return None
        try:
            stat = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        stamp, names, inodes, kinds = known
        if folder_stamp(stat) != stamp:
            return None
        self.used += 1
        return {name: RecordedEntry(path, name, inode, kind) for name, inode, kind in zip(names, inodes, kinds)}


def load_tree_record(cache_dir: Path, root: Path) -> TreeRecord | None:
    """The record of the tree now at `root`, or None (none kept, or unreadable)."""
    try:
        with open(Path(cache_dir) / RECORDS / _record_name(os.stat(root)), "rb") as stream:
            version, folders = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return TreeRecord(folders) if version == VERSION and isinstance(folders, dict) else None


def _record_name(stat: os.stat_result) -> str:
    return f"{stat.st_dev}-{stat.st_ino}.pickle"


def _drop_old_records(folder: Path) -> None:
    try:
        found = sorted(((entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder) if entry.name.endswith(".pickle")), reverse=True)
    except OSError:
        return
    for _, path in found[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass
