"""Image workers end with the build that started them, even one killed outright."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, time
from generator.imaging.pipeline import make_pool


def pid_after(seconds):
    time.sleep(seconds)
    return os.getpid()


if __name__ == "__main__":
    pool = make_pool(2)
    print(sorted(set(pool.map(pid_after, [0.3, 0.3]))), flush=True)  # overlapping: both workers start
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie counts as gone: it has ended, its parent (the fork server) reaps it
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_of_a_killed_build_end_soon_after_it(tmp_path):
    """A `dvk build` killed with SIGKILL while images were encoded left the fork server's
    workers (and so the server) idle for good; they now watch the build and end."""
    script = tmp_path / "owner.py"  # a file: the fork server imports the main module by path
    script.write_text(SCRIPT, encoding="utf-8")
    owner = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    workers: list[int] = []
    try:
        ready, _, _ = select.select([owner.stdout], [], [], 60)
        assert ready, "the pool did not start"
        workers = eval(owner.stdout.readline())  # noqa: S307 - our own script's printed list
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "workers outlived the build that started them"
    finally:
        if owner.poll() is None:
            owner.kill()
        for pid in workers:  # a failed run leaves no process behind either
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
