"""Files made from the whole site beside the page writers: the search index, open data.

No page shows their bytes, and they need nothing but the derived site, which the core
has before any page is rendered: the search records and index (generator/search/) and
the open-data files (data/, CSL-JSON per entry, feeds: render/opendata.py) take about
six CPU seconds at 10,000 entries. Made in forked processes, they run while mkdocs and
the page writers keep the other core busy instead of adding to every build, cold or
after one edit (in `dvk serve`, a thread makes the search index: the server's threads
must not be forked, and its open data stays with mkdocs, see the plugin).

They are written into a folder of their own under dvk's cache (`work_dir`, named after
the process, so a later build removes what a killed one left): a build that fails must
not leave half-made files in the site. `BackgroundFiles.finish` waits for the run, reports its error as the
`SearchIndexError` the synchronous path raises, and moves the files into the site (one
rename per folder the site does not have yet, or a copy when the cache is on another
file system); `cancel` stops it and removes the folder.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from pathlib import Path

from ..search import BUNDLE, SearchIndexError, SearchRecords, read_keeper, save_keeper, write_search_index
from .cache import open_folder, write_inside
from .fingerprint import code_version

PREFIX = "run-"  # run-<pid>-<random>: the folder of one run under work_dir
STOPPED = "tiến trình ghi chỉ mục tìm kiếm dừng giữa chừng"
BACKGROUND_NICENESS = 10


class BackgroundFiles:
    """One background run for the site folder `site_dir`."""

    def __init__(self, records, site_dir: Path, work_dir: Path, in_thread: bool = False, files=None, same_in: Path | int | None = None, bundle=None):
        """`records`: a list, SearchRecords made in the run, or None for no search index;
        `bundle`: the search bundle's BundleKeeper (a preview keeps it in memory) or the
        file it is kept in (search/keeper.py), to update the last bundle;
        `files`: None, or a function returning more FileSpecs to write (open data), those
        with the same bytes in the tree `same_in` (a folder, or its descriptor: the caller's,
        not closed here) linked from there (write_inside).
        `in_thread`: run in a thread of this process instead (`dvk serve`, whose server
        threads must not be forked). Raises OSError when work_dir cannot be written (the
        caller then makes the files itself)."""
        self.site_dir = Path(site_dir)
        work_dir = Path(work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_folders(work_dir)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=work_dir))
        self._runs: list = []  # (process, pipe end) of each forked run
        self._thread = None
        self._cancelled = self._finished = False
        self._lock = threading.Lock()  # between cancel() and a thread run that is ending
        if in_thread:
            self._error: str | None = None
            self._thread = threading.Thread(target=self._write_here, args=(records, files, bundle), name="dvk-background", daemon=True)
            self._thread.start()
            return
        # two processes when there are both kinds of files: at 10,000 entries each is about
        # three CPU seconds, and after one edit the page writers are done long before one
        # process would be (they then share the two cores)
        jobs = [(records, None, bundle), (None, files, None)] if records is not None and files is not None else [(records, files, bundle)]
        context = multiprocessing.get_context("fork")
        self._runs = []
        # the kept tree by descriptor: it is renamed while the runs read it (build/spare.py),
        # and by its name at the start every file would be written anew (2.6 s of the first
        # edit after a cold build at 10,000 entries, for the citation files alone)
        tree = _own_handle(same_in)
        try:
            for job in jobs:
                answer, sender = context.Pipe(duplex=False)
                process = context.Process(target=_write, args=(*job, self.folder, sender, tree), daemon=True)
                process.start()
                sender.close()  # the child holds the only writing end: its exit ends the pipe
                self._runs.append((process, answer))
        finally:
            if tree is not None:
                os.close(tree)  # (each run holds its own copy)

    @property
    def forked(self) -> bool:
        """Whether the run is in other processes (not a thread of this one)."""
        return self._thread is None

    def _write_here(self, records, files, bundle) -> None:
        try:
            self._error = _write_into(records, files, self.folder, bundle=bundle)
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
        errors = []
        for process, answer in self._runs:
            try:
                errors.append(answer.recv() if answer.poll(None) else STOPPED)
            except EOFError:
                errors.append(STOPPED)
            process.join()
        return next((error for error in errors if error), None)

    def finish(self, move=None) -> Path:
        """Wait for the run and move its files into site_dir (the search bundle replaces
        the one there), or call `move(folder)` to place them; returns site_dir."""
        error = self._wait()
        try:
            if error:
                raise SearchIndexError(error)
            try:
                if move is not None:
                    move(self.folder)
                    return self.site_dir
                self.site_dir.mkdir(parents=True, exist_ok=True)
                if (self.folder / BUNDLE).exists() and (self.site_dir / BUNDLE).exists():
                    shutil.rmtree(self.site_dir / BUNDLE)
                move_tree(self.folder, self.site_dir)
            except OSError as error:
                raise SearchIndexError(f"không chuyển được chỉ mục tìm kiếm và dữ liệu mở vào {self.site_dir}: {error.strerror or error}") from None
            return self.site_dir
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
        for process, _ in self._runs if self._thread is None else ():
            if process.is_alive():
                process.terminate()
            process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def _write(records, files, bundle, folder: Path, sender, same_in: int | None = None) -> None:
    """In the child: write the files into `folder`, send None or the error's text.

    At a lower priority than the build: the page writers are what the build waits for
    first (on a cold build the two runs took a third of a core from the render stage);
    after one edit the pages are done early and the runs then have both cores anyway."""
    die_with_parent()
    try:
        os.nice(BACKGROUND_NICENESS)
    except OSError:
        pass
    try:
        sender.send(_write_into(records, files, folder, same_in, bundle))
    finally:
        sender.close()


def _write_into(records, files, folder: Path, same_in: Path | int | None = None, bundle=None) -> str | None:
    """Write the search bundle and the other files into `folder` (a file with the same
    bytes in `same_in` is linked, see write_inside); None, or the text of what went wrong
    (any error reaches the build as text, from a process or a thread)."""
    try:
        if records is not None:
            keeper = read_keeper(bundle, code_version()) if isinstance(bundle, Path) else bundle
            write_search_index(records.get() if isinstance(records, SearchRecords) else records, folder, keeper, same_in)
            if isinstance(bundle, Path):
                save_keeper(bundle, keeper, code_version())
        folders: set[str] = set()
        for made in files() if files is not None else ():
            try:
                write_inside(folder, made.path, made.data, same_in, folders)
            except ValueError:
                raise SearchIndexError(f"đường dẫn tệp không hợp lệ: {made.path!r}") from None
    except SearchIndexError as error:
        return str(error)
    except BaseException as error:  # noqa: BLE001 - reported by BackgroundFiles.finish()
        return f"lỗi khi ghi ({type(error).__name__}: {error})"
    return None


def _own_handle(tree: Path | int | None) -> int | None:
    """A descriptor of `tree` (a folder, or a descriptor of one) that the caller closes."""
    if isinstance(tree, int):
        try:
            return os.dup(tree)
        except OSError:
            return None
    return open_folder(tree)


def die_with_parent() -> None:
    """Ask Linux to end this child when the build's process ends (prctl PR_SET_PDEATHSIG):
    a build killed outright (SIGKILL, a closed terminal) must not leave a run writing on,
    and holding the build lock it inherited, for seconds after it. Elsewhere: a no-op."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)


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


def move_tree(source: Path, target: Path) -> None:
    """Move every file under `source` to the same place under `target` (which may hold
    other files): a folder target lacks moves in one rename, a file replaces its namesake."""
    for entry in os.scandir(source):
        destination = target / entry.name
        if entry.is_dir(follow_symlinks=False) and destination.is_dir():
            move_tree(Path(entry.path), destination)
            continue
        if entry.is_dir(follow_symlinks=False) and destination.exists():
            destination.unlink()
        try:
            os.replace(entry.path, destination)
        except OSError:  # the cache on another file system (DVK_CACHE_DIR, a mounted site_dir)
            if entry.is_dir(follow_symlinks=False):
                shutil.copytree(entry.path, destination)
            else:
                shutil.copyfile(entry.path, destination)
