"""The search bundle made beside the rest of the build, in a forked process.

The index (generator/search/index.py) needs nothing but the search records, which the
core has as soon as the site is derived; at 10,000 entries it takes a second or two of
CPU. Started when the records exist, it runs while mkdocs and the page writers keep the
other core busy instead of adding to every build, cold or after one edit (in
`dvk serve`, a thread starts the same run: the server's threads must not be forked).

The bundle is written into a folder of its own under dvk's cache (`work_dir`, named after
the process, so a later build removes what a killed one left): mkdocs empties the site
folder after the records exist, and a build that fails must not leave a half-made bundle
in it. `SearchJob.finish` waits for the run, reports its error as the `SearchIndexError`
the synchronous path raises, and moves the bundle into place (a rename, or a copy when
the cache is on another file system); `cancel` stops it and removes the folder.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .index import BUNDLE, SearchIndexError, write_search_index

PREFIX = "run-"  # run-<pid>-<random>: the folder of one run under work_dir


class SearchRecords:
    """The search records of one build, made once, by whoever needs them first: the
    forked indexing process (so the build's own process never spends the time), or
    this process (a thread run, or a preview that indexes the last good records)."""

    def __init__(self, make):
        self._make = make
        self._records = None

    def get(self) -> list:
        if self._records is None:
            self._records = self._make()
        return self._records


class SearchJob:
    """One background indexing run for the site folder `site_dir`."""

    def __init__(self, records, site_dir: Path, work_dir: Path, in_thread: bool = False):
        """`records`: a list, or SearchRecords made in the run. `in_thread`: run in a thread of this process instead (`dvk serve`, whose server
        threads must not be forked).
        Raises OSError when work_dir cannot be written (the caller indexes synchronously)."""
        self.site_dir = Path(site_dir)
        work_dir = Path(work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_folders(work_dir)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=work_dir))
        self._process = self._thread = None
        self._cancelled = self._finished = False
        self._lock = threading.Lock()  # between cancel() and a thread run that is ending
        if in_thread:
            self._error: str | None = None
            self._thread = threading.Thread(target=self._index_here, args=(records,), name="dvk-search", daemon=True)
            self._thread.start()
            return
        context = multiprocessing.get_context("fork")
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_index, args=(records, self.folder, sender), daemon=True)
        self._process.start()
        sender.close()  # the child holds the only writing end: its exit ends the pipe

    def _index_here(self, records: list) -> None:
        try:
            self._error = _index_into(records, self.folder)
        finally:
            with self._lock:
                self._finished = True
                cancelled = self._cancelled
            if cancelled:
                shutil.rmtree(self.folder, ignore_errors=True)

    def _wait(self) -> str | None:
        """Wait for the run; the error's text, or None."""
        if self._thread is not None:
            self._thread.join()
            return self._error
        try:
            error = self._answer.recv() if self._answer.poll(None) else "tiến trình ghi chỉ mục tìm kiếm dừng giữa chừng"
        except EOFError:
            error = "tiến trình ghi chỉ mục tìm kiếm dừng giữa chừng"
        self._process.join()
        return error

    def finish(self) -> Path:
        """Wait for the bundle and put it at site_dir/BUNDLE (replacing one there)."""
        error = self._wait()
        try:
            if error:
                raise SearchIndexError(error)
            target = self.site_dir / BUNDLE
            if target.exists():
                shutil.rmtree(target)
            self.site_dir.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(self.folder / BUNDLE, target)
            except OSError:  # the cache on another file system (DVK_CACHE_DIR, a mounted site_dir)
                shutil.copytree(self.folder / BUNDLE, target)
            return target
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the run (a build that failed after starting it) and remove its folder; a
        thread cannot be stopped: it removes the folder itself when it ends."""
        with self._lock:
            self._cancelled = True
            running = self._thread is not None and not self._finished
        if running:
            return  # the thread removes the folder as it ends
        if self._thread is None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def _index(records: list, folder: Path, sender) -> None:
    """In the child: write the bundle into `folder`, send None or the error's text."""
    try:
        sender.send(_index_into(records, folder))
    finally:
        sender.close()


def _index_into(records: list, folder: Path) -> str | None:
    """Write the bundle into `folder`; None, or the text of what went wrong (any error
    reaches the build as text, from a process or a thread alike)."""
    try:
        write_search_index(records.get() if isinstance(records, SearchRecords) else records, folder)
    except SearchIndexError as error:
        return str(error)
    except BaseException as error:  # noqa: BLE001 - reported by SearchJob.finish()
        return f"{type(error).__name__}: {error}"
    return None


def remove_stale_folders(work_dir: Path) -> None:
    """Folders of runs whose process is gone (a build killed before it finished)."""
    from ..buildlock import is_running

    for folder in Path(work_dir).glob(f"{PREFIX}*"):
        try:
            pid = int(folder.name[len(PREFIX) :].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not is_running(pid):
            shutil.rmtree(folder, ignore_errors=True)
