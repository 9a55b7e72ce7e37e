"""The spare maker (build/spare.py): a hard-linked copy of the published site, split
evenly between `cp -al` processes. Run as a script by start_spare_maker, standard
library only, so that it starts in a few hundredths of a second and needs no import of dvk.

    python sparecopy.py PARENT NAME SPARE NOTE CORES

It writes its PID into NOTE first, copies PARENT/NAME into PARENT/.NAME.kept-PID, renames
that to SPARE when the copy is whole and no spare appeared meanwhile, and removes what is
left and NOTE at the end, whole or not.

Why not one `cp -al` per top-level entry: the entry pages' folder is 80 % of a site's
folders, so one of two processes did most of the copy while the other idled, and the first
edit after a cold build waited for it (the copy ended 1.5–2 s after the build). Each
top-level folder is made here and its children are linked in chunks, the chunks shared
between the processes.
"""

from __future__ import annotations

import os
import shutil
import sys

CHUNK = 400  # children per `cp` run: 30 runs for 11,700 folders, a few ms each to start


def copy_jobs(site: str, copy: str) -> list[tuple[str, list[str]]]:
    """Make `copy` and its top-level folders (with the modes of `site`'s); the (folder of
    the copy, [source paths]) that `cp -al -t` has to link into them, in chunks."""
    os.mkdir(copy)
    os.chmod(copy, os.stat(site).st_mode & 0o7777)
    loose, jobs = [], []
    with os.scandir(site) as found:
        top = sorted(found, key=lambda entry: entry.name)
    for entry in top:
        if not entry.is_dir(follow_symlinks=False):
            loose.append(entry.path)
            continue
        inside = os.path.join(copy, entry.name)
        os.mkdir(inside)
        os.chmod(inside, entry.stat(follow_symlinks=False).st_mode & 0o7777)
        with os.scandir(entry.path) as found:
            children = sorted(child.path for child in found)
        jobs += [(inside, children[start : start + CHUNK]) for start in range(0, len(children), CHUNK)]
    if loose:
        jobs.append((copy, loose))
    return jobs


def run_jobs(jobs: list[tuple[str, list[str]]], workers: int) -> bool:
    """Run `cp -al -t` for each job, `workers` at a time (the next starts as soon as any
    one ends); True when every run succeeded. Every run started is waited for."""
    running: set[int] = set()
    ok = True

    def reap() -> bool:
        pid, status = os.wait()
        running.discard(pid)
        return os.waitstatus_to_exitcode(status) == 0

    for folder, sources in jobs:
        while len(running) >= workers:
            ok = reap() and ok
        try:
            running.add(os.posix_spawnp("cp", ["cp", "-al", "-t", folder, "--", *sources], os.environ))
        except OSError:
            ok = False
            break
    while running:
        ok = reap() and ok
    return ok


def make_spare(parent: str, name: str, spare: str, note: str, workers: int) -> bool:
    """The whole maker (see the module docstring); True when the spare was made."""
    with open(note, "w", encoding="utf-8") as stream:
        stream.write(str(os.getpid()))
    making = os.path.join(parent, f".{name}.kept-{os.getpid()}")
    made = False
    try:
        if run_jobs(copy_jobs(os.path.join(parent, name), making), max(1, workers)) and not os.path.lexists(spare):
            os.rename(making, spare)
            made = True
    except OSError:
        pass
    finally:
        shutil.rmtree(making, ignore_errors=True)
        try:
            os.unlink(note)
        except OSError:
            pass
    return made


if __name__ == "__main__":
    parent, name, spare, note, workers = sys.argv[1:6]
    sys.exit(0 if make_spare(parent, name, spare, note, int(workers)) else 1)
