"""The validation cache on disk, so a fresh `dvk build` re-checks only changed files.

The `Validator` already keeps per-file results keyed by file stamps, places and image
stamps for the life of one process (`dvk serve`); here it is pickled between runs. The
pickle is tagged with dvk's code version: after an upgrade it is ignored, never trusted.
Any unreadable or foreign file is treated as no cache at all.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..validate import Validator
from .fingerprint import code_version

FILE = "validator.pickle"


@contextmanager
def collector_paused():
    """Python's cycle collector off meanwhile: (un)pickling the validator of 10,000 entries
    makes millions of objects, and the collections they set off took 60 % of the time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_validator(folder: Path) -> Validator:
    """The validator saved by the last run (same code), else a fresh one."""
    try:
        with open(Path(folder) / FILE, "rb") as stream, collector_paused():
            version, validator = pickle.load(stream)
    except Exception:  # a damaged or foreign cache is no cache: validate from scratch
        return Validator()
    if version != code_version() or not isinstance(validator, Validator):
        return Validator()
    return validator


def save_validator(folder: Path, validator: Validator) -> None:
    """Write the validator's caches atomically (a crash leaves the previous file)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=folder, prefix=".validator-")
    try:
        with os.fdopen(fd, "wb") as stream, collector_paused():
            pickle.dump((code_version(), validator), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, folder / FILE)
    except Exception:
        Path(partial).unlink(missing_ok=True)
        raise
