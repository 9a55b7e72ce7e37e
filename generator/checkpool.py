"""A first validation on both cores: entry files parsed and checked in forked processes.

Reading and checking a file needs only that file, the places registry and the image
checker, so a run with nothing in the validator's caches (a first build, a new dvk
version) splits the files between processes. Each returns its results pickled, the way
the validator's caches already go to disk (build/persist.py); the parent puts them into
its caches with its own registry and image checker, and `Validator.run` then finds every
file checked, exactly as if it had checked them itself (same order, same problems, the
cross-file checks over everything as before).
"""

from __future__ import annotations

from pathlib import Path

from .cores import map_forked, pool_pays
from .load import find_entry_files

_JOB = None  # (validator, root, content_dir, places), set in the parent just before forking


def check_files_in_pool(validator, root: Path, content_dir: Path, places, workers: int, files: list[tuple[str, Path]] | None = None) -> int:
    """Check the files the validator has not checked yet against `places` in `workers`
    processes (after places.yml changed that is every file, read again and parsed: on one
    core that was most of a cold validation); how many. `files`: find_entry_files' list,
    when the caller has it already."""
    global _JOB
    todo = [(collection, path) for collection, path in (find_entry_files(content_dir) if files is None else files) if not validator.is_checked(path, places)]
    if not pool_pays(len(todo), workers):
        return 0
    _JOB = (validator, root, content_dir, places)
    try:
        parts = map_forked(_check_slice, [todo[start :: workers * 2] for start in range(workers * 2)], workers)
    finally:
        _JOB = None
    for part in parts:
        for stamp, raw, checked in part:
            validator.adopt(stamp, raw, checked, places)
    return len(todo)


def _check_slice(files: list[tuple[str, Path]]) -> list[tuple]:
    validator, root, content_dir, places = _JOB
    out = []
    for collection, path in files:
        checked = validator.check_file(validator.entry_cache.read(collection, path, root), content_dir, places)
        out.append((validator.entry_cache.stamp_of(path), checked.raw, checked))  # (read again by check_file, maybe)
    return out
