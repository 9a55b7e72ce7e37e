"""A file's stamp: what tells, without reading it, that a file may have changed.

(size, mtime) misses a file rewritten in place to the same size with its old time set
back (a copy or sync that keeps times): the change time moves on every write and no
tool sets it back, and a replaced file has another inode.
"""

from __future__ import annotations

import os


def stat_stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    """(size, mtime, change time, inode) of a stat result."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def file_identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    """(device, inode, size, mtime): the same file, unchanged, without the change time,
    which a new hard link to the file also sets (for files shared by links)."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
