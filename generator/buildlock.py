"""One build at a time per project, and no leftovers from builds that were killed.

Why: two `dvk build` runs in the same project (an editor double-clicks, a timer fires
while someone builds by hand) would write the same staging and cache files and swap
site/ under each other. They now queue on an advisory lock (`fcntl.flock`, released by
the kernel when a process dies, so a killed build never leaves a stuck lock); the second
says in Vietnamese that it is waiting and gives up with a clear message after a timeout.
Holding the lock, a build removes the staging folders (`.site.tmp-PID`, `.site.old-PID`)
that a killed build left behind, when their process is gone.

A build that has published its site may hand the lock to a child that writes its caches
after the command returned (build/aftercare.py): the lock file then names the child as
*finishing*, and the next build waits for it without saying so (it takes a second). The
note also says which no-change record that child is about to write (the input
fingerprint, "-" for none): a run whose inputs differ need not wait for that record to
know it must build.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = "build.lock"
POLL_SECONDS = 0.2
POLL_FINISHING = 0.02  # a finishing holder is done in about a second
FINISHING = "finishing"  # the lock file's note after the PID of a holder that only writes caches
NO_RECORD = "-"  # the note's last word when a finishing holder writes no no-change record
NOTE_BYTES = 256  # a process token, the word, a fingerprint (a SHA-256 in hex), a second token


class BuildBusy(Exception):
    """Another build held the lock for the whole wait; `holder` is its PID when known."""

    def __init__(self, holder: int | None):
        super().__init__(holder)
        self.holder = holder


def lock_path(root: Path) -> Path:
    """The project's lock file (under .cache/, which is never published nor committed)."""
    return Path(root) / ".cache" / "dvk" / LOCK_NAME


class HeldLock:
    """The held lock: its descriptor is shared with a child forked while it is held, and the
    lock lasts until every process holding the descriptor has closed it or ended."""

    def __init__(self, fd: int, previous: list[str] | None = None):
        self.fd = fd
        self.previous = previous or []  # the note of the holder before this one

    def record_coming(self) -> str | None:
        """The fingerprint of the no-change record the build before this one is still
        writing without the lock (build/aftercare.py), None when none is being written."""
        words = self.previous
        if len(words) >= 4 and words[1] == FINISHING and is_running_as(words[3]):
            return words[2]
        return None

    def note_holder(self, finishing: bool = False, pid: int | None = None, record: str | None = None, writer: int | None = None) -> None:
        """Write the holder's PID (this process's by default) into the lock file; with
        `finishing`, a child that only writes caches, which the next build waits for
        silently, `record`: the fingerprint of the no-change record that will be written
        (None: none, see pending_record) and `writer`: the PID of the child writing it
        without the lock (build/aftercare.py), while which a build counts as finishing."""
        words = [process_token(pid or os.getpid())]
        if finishing:
            words += [FINISHING, record or NO_RECORD] + ([process_token(writer)] if writer else [])
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, (" ".join(words) + "\n").encode(), 0)


@contextlib.contextmanager
def hold_build_lock(path: Path, timeout: float, on_wait: Callable[[int | None], None] | None = None) -> Iterator[HeldLock]:
    """Hold the exclusive lock at `path`; wait up to `timeout` seconds (calling on_wait once,
    unless the holder is only finishing), else BuildBusy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = _read_holder(fd)
            said = False
            deadline = time.monotonic() + max(0.0, timeout)
            while not _try_lock(fd):
                finishing = _holder_is_finishing(fd)
                if not said and not finishing and on_wait is not None:
                    on_wait(_read_holder(fd) or holder)
                    said = True
                if time.monotonic() >= deadline:
                    raise BuildBusy(_read_holder(fd) or holder)
                time.sleep(POLL_FINISHING if finishing else POLL_SECONDS)
        held = HeldLock(fd, _read_note(fd))
        held.note_holder()
        yield held
    finally:
        os.close(fd)  # closing the descriptor releases the lock (once a child holding it ends)


def remove_leftovers(target: Path) -> list[Path]:
    """Delete `.<name>.tmp-PID`, `.<name>.kept-PID`, `.<name>.old-PID` and
    `.<name>.tmp-PID.trash` next to target whose PID no longer runs; returns all but the
    trash (an interrupted build left them; a trash folder is deleted in the background
    after every build that updated a kept tree, build/kept.py, and may still be going).

    Call only while holding the build lock: then no live dvk build of this project owns
    them. A folder whose PID is alive is left alone (it may be another project's build
    into the same folder, or a dvk without the lock).
    """
    removed = []
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(tmp|kept|old)-(\d+)(\.trash)?")
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        pid = int(match.group(2))
        if pid == os.getpid() or is_running(pid):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        if not match.group(3):
            removed.append(path)
    return removed


_PARTIAL = re.compile(r"\.[^/]+\.(\d+)")  # `.name.PID`; mkstemp's names in the cache have no "." before their random part


def remove_dead_partials(folder: Path) -> int:
    """Delete the partial files `.<name>.PID` in `folder` (not below) whose writer has ended:
    a record is written under such a name and renamed over `<name>` when complete, and a
    writer killed in between leaves it behind (build/unchanged.py, build/treerecord.py).
    Returns how many were removed. Call holding the build lock (the record writer runs
    without it, but under its own PID, which is then alive)."""
    removed = 0
    try:
        found = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in found:
        match = _PARTIAL.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and not is_running(pid):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def is_running(pid: int) -> bool:
    """Whether a process with this PID exists (signal 0 checks without sending anything)
    and has not ended: an ended process nobody has reaped yet still answers signal 0."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OverflowError:
        return False
    return not _is_zombie(pid)


def process_token(pid: int) -> str:
    """How the lock's note names a process: "PID.START", its start time (clock ticks since
    boot) after the PID where /proc tells it. The note outlives the processes it names, and
    a PID the kernel has since given to another process must not pass for one of them: a
    run would wait for a record nobody writes, up to two minutes."""
    start = _start_time(pid)
    return f"{pid}.{start}" if start is not None else str(pid)


def is_running_as(token: str) -> bool:
    """Whether the process a note names (process_token) still runs: the same PID, started
    at the same time (a bare PID, or no /proc, is taken at its word)."""
    pid, _, start = token.partition(".")
    if not pid.isdigit() or not is_running(int(pid)):
        return False
    now = _start_time(int(pid)) if start else None
    return now is None or now == start


def _pid_of(token: str) -> int | None:
    pid = token.partition(".")[0]
    return int(pid) if pid.isdigit() else None


def _stat_fields(pid: int) -> list[bytes] | None:
    """The fields of /proc/PID/stat after the name (the state first); None without /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            stat = stream.read()
    except OSError:
        return None
    return stat[stat.rfind(b")") + 2 :].split()  # the name, in parentheses, may hold spaces and ")"


def _start_time(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return fields[19].decode("ascii") if fields is not None and len(fields) > 19 and fields[19].isdigit() else None


def _is_zombie(pid: int) -> bool:
    """Whether the process has ended and waits to be reaped (Linux: state Z in /proc).

    A build's cache-writing child outlives the build, so its parent is gone and whoever
    adopted it reaps it; a container's first process may do that only every second or
    so. Taken for running meanwhile, it kept the first edit after a cold build waiting
    1.2-2 s for a child that had finished (its lock, closed with it, was free)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[:1] == [b"Z"]  # no /proc (not Linux), or gone: signal 0 decided


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_note(fd: int) -> list[str]:
    try:
        return os.pread(fd, NOTE_BYTES, 0).decode("ascii", "replace").split()
    except OSError:
        return []


def _read_holder(fd: int) -> int | None:
    words = _read_note(fd)
    return _pid_of(words[0]) if words else None


def lock_is_free(path: Path) -> bool:
    """Whether nobody holds the lock at `path` right now (taken and given back at once)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        if not _try_lock(fd):
            return False
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def holder_is_finishing(path: Path) -> bool:
    """Whether the lock at `path` is held by a build's child that only writes caches
    (read without taking the lock: a no-change run need not wait for those writes)."""
    return _finishing(_note_at(path)) is not None


def _holder_is_finishing(fd: int) -> bool:
    """Whether the holder is a build's child writing its caches (and still running)."""
    return _finishing(_read_note(fd)) is not None


def _note_at(path: Path) -> list[str]:
    """The lock file's note, read without taking the lock ([] when there is none)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return []
    try:
        return _read_note(fd)
    finally:
        os.close(fd)


def _finishing(words: list[str]) -> list[str] | None:
    """The note when it names a finishing build whose children still run: the holder
    writing caches, or the writer of the no-change record."""
    if len(words) < 2 or words[1] != FINISHING:
        return None
    return words if any(is_running_as(word) for word in (words[0], *words[3:4])) else None


def record_being_written(path: Path) -> bool:
    """Whether the process writing the no-change record the lock's note announces still
    runs: the writer the note names, else (a note without one) the finishing holder. A
    writer that ended without writing it (its site was replaced meanwhile) is not waited
    for while the holder still writes caches."""
    words = _note_at(path)
    if len(words) < 2 or words[1] != FINISHING or words[2:3] == [NO_RECORD]:
        return False
    return is_running_as(words[3] if len(words) >= 4 else words[0])


def pending_record(path: Path) -> str | None:
    """The input fingerprint of the no-change record that a finishing holder of the lock
    at `path` is about to write: NO_RECORD when it writes none; None when no finishing
    holder says (nobody, a running build, or a note without it)."""
    words = _finishing(_note_at(path))
    return words[2] if words is not None and len(words) >= 3 else None
