"""What a build writes after its site is published: the caches the next build reads.

After the swap, a one-edit `dvk build` at 10,000 entries still saved the validator's cache
(a 33 MB pickle, 0.5–0.8 s) and the output cache's manifest, and walked the new site for
the no-change stamps (60,000 files, 0.75 s): a second and a half, with the editor's site
already in place. A child forked after the swap does that while the command returns. It
keeps the build lock (a forked child shares the locked descriptor, buildlock.HeldLock),
so the next build starts only after it and reads complete caches; the lock file names it
as finishing, so that build waits without a message. Every write is atomic: a child
killed half-way leaves the previous caches, which the next build checks as always
(slower, never wrong).

Only the `dvk` command detaches (cli.run ends its process at once); called in-process, or
while other threads run (a fork keeps only the forking thread), the jobs run before
returning.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

from ..cores import forking_is_safe
from .persist import collector_paused


def run_jobs(jobs: Iterable[Callable[[], object]]) -> None:
    """Run the jobs with Python's cycle collector off: a build ends with it on again
    (on_shutdown), and the first allocations of the jobs then set off a collection over
    the whole build's objects (0.8 s of a one-edit build's manifest write at 10,000
    entries); the jobs make no cyclic garbage worth collecting."""
    with collector_paused():
        for job in jobs:
            job()


def finish_after_exit(jobs: list[Callable[[], object]], lock=None, detach: bool = False, record: str | None = None, unlocked: list[Callable[[], object]] = ()) -> bool:
    """Run `jobs` in a child that outlives this process and holds `lock` (a HeldLock)
    until they are done, and `unlocked` in a second child beside it, without the lock;
    True when detached, else they all ran here (False). `record`: the input fingerprint of
    the no-change record the jobs write (None: none), noted in the lock file for the next
    run (buildlock.pending_record), with both children.

    `unlocked`: jobs the next build does not need, that are safe beside it: the no-change
    record and the tree record (build/unchanged.remember_build checks that the site it
    walked is still the published one), a 0.4 s walk of 60,000 files at 10,000 entries.
    In the lock's child they made an editor's next save wait; after the caches, a
    no-change run right after a cold build waited for the validator's cache too."""
    if not jobs and not unlocked:
        return False
    if not (detach and hasattr(os, "fork") and forking_is_safe()):
        run_jobs([*jobs, *unlocked])
        return False
    sys.stdout.flush()
    sys.stderr.flush()
    holder = _spawn(jobs, None) if jobs else None
    writer = _spawn(unlocked, lock) if unlocked else None
    if holder is None and writer is None:
        return False
    if lock is not None:
        lock.note_holder(finishing=True, pid=holder or writer, record=record, writer=writer)
    return True


def _spawn(jobs: list[Callable[[], object]], lock) -> int | None:
    """Fork a child that runs `jobs` and ends; its PID (None: the jobs ran here). `lock`: a
    HeldLock the child must not hold (its copy of the descriptor is closed, not unlocked)."""
    try:
        pid = os.fork()
    except OSError:
        run_jobs(jobs)
        return None
    if pid:
        return pid
    code = 0
    try:
        if lock is not None:
            os.close(lock.fd)  # the lock stays with the other holders
        os.setsid()  # a Ctrl+C in the terminal after the command returned does not cut it short
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # nothing reaches the editor's terminal, and no caller waits on its pipes
            os.dup2(null, fd)
        run_jobs(jobs)
    except BaseException:  # noqa: BLE001 - a cache not written is written by the next build
        code = 1
    finally:
        os._exit(code)
