"""Every file under a folder in one os.scandir walk.

pathlib's rglob (and sorting Path objects) and os.walk with os.path.relpath per file took
seconds on a 10,000-entry site (56,000 files), walked several times per build: the
precompression listing, the page count and the no-change stamps all use this instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path


def walk_files(folder: Path, on_folder: Callable[[str, os.stat_result, list[os.DirEntry]], None] | None = None) -> Iterator[tuple[str, os.DirEntry]]:
    """(path relative to folder with "/", entry) of every non-folder entry, in name order,
    a folder's files before its sub-folders. Symbolic links to folders are not entered
    and not listed; links to files are listed (their entry says so).

    `on_folder(prefix, stat, entries)`: called for each folder with its stat, taken before
    it is listed (a change after that shows in a later stat), and its entries."""
    stack = [(str(folder), "")]
    while stack:
        path, prefix = stack.pop()
        try:
            stat = os.stat(path) if on_folder is not None else None
            with os.scandir(path) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:
            continue
        if on_folder is not None:
            on_folder(prefix, stat, entries)
        folders = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, prefix + entry.name + "/"))
                    continue
                if entry.is_symlink() and entry.is_dir():
                    continue
            except OSError:
                continue
            yield prefix + entry.name, entry
        stack.extend(reversed(folders))
