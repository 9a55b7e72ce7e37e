"""The validation cache on disk, so a fresh `dvk build` re-checks only changed files.

The `Validator` already keeps per-file results keyed by file stamps, places and image
stamps for the life of one process (`dvk serve`); here it is pickled between runs. The
pickle is tagged with dvk's code version: after an upgrade it is ignored, never trusted.
Any unreadable or foreign file is treated as no cache at all.

The file holds every checked file; a build that checked only a few (an edit) writes
just those into a small journal beside it, read on top of it by the next load.
"""

from __future__ import annotations

import gc
import os
import pickle
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..validate import Validator
from .fingerprint import code_version

FILE = "validator.pickle"
JOURNAL = "validator.journal"  # the files checked anew since FILE was written
JOURNAL_MAX = 500  # files in the journal; beyond, FILE is written again


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
    folder = Path(folder)
    try:
        with open(folder / FILE, "rb") as stream, collector_paused():
            version, token, validator = pickle.load(stream)
    except Exception:  # a damaged or foreign cache is no cache: validate from scratch
        return Validator()
    if version != code_version() or not isinstance(validator, Validator):
        return Validator()
    validator.disk_token, validator.disk_places = token, _places_stamp(validator)
    _apply_journal(folder, validator)
    return validator


def validate_project(root: Path, content_dir: Path | None = None):
    """Validate a project for a command that only reads its content (validate, stats, book,
    export, pages), starting from the validator the last build saved: only files changed
    since are read and checked again, on every core when there are many.

    At 10,000 entries `dvk validate` and `dvk stats` checked every file again on one core
    (3.3 s each) right after a build had checked them all. The cache is only read: saving
    it is the build's job, under the build lock; a run beside a build reads whole files
    (both are written under temporary names, then renamed) or none."""
    from ..cores import forking_is_safe, usable_cores
    from .cache import project_cache_dir

    validator = load_validator(project_cache_dir(root))
    return validator.run(Path(root), content_dir, workers=usable_cores() if forking_is_safe() else 1)


def _apply_journal(folder: Path, validator: Validator) -> None:
    """The files checked since FILE was written, when the journal was written on top of
    this very FILE with the same places registry; anything else is ignored (those files
    are then checked again, as without a cache)."""
    try:
        with open(folder / JOURNAL, "rb") as stream, collector_paused():
            version, token, places, images, files = pickle.load(stream)
    except Exception:
        return
    if version != code_version() or token != validator.disk_token or places != validator.disk_places:
        return
    validator.images = images
    validator.restore(files)


def save_validator(folder: Path, validator: Validator) -> None:
    """Write the validator's caches atomically (a crash leaves the previous files).

    After a build that checked a few files (an edit), only those go to the journal beside
    the last full file: writing all 10,000 entries again took half a second after every
    edit, and the next build waited for it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    token = getattr(validator, "disk_token", None)
    if token is not None and len(validator.changed) <= JOURNAL_MAX and _places_stamp(validator) == getattr(validator, "disk_places", None) and (folder / FILE).is_file():
        _write_pickle(folder / JOURNAL, (code_version(), token, validator.disk_places, validator.images, validator.changed_files()))
        return
    token = secrets.token_hex(8)
    changed, validator.changed = validator.changed, set()
    try:
        _write_pickle(folder / FILE, (code_version(), token, validator))
    except BaseException:
        validator.changed = changed
        raise
    validator.disk_token, validator.disk_places = token, _places_stamp(validator)
    (folder / JOURNAL).unlink(missing_ok=True)  # written on top of the replaced file


def _places_stamp(validator: Validator):
    places = getattr(validator, "_places", None)
    return places[0] if places is not None else None


def _write_pickle(path: Path, value) -> None:
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    try:
        with os.fdopen(fd, "wb") as stream, collector_paused():
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
