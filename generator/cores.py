"""How many processes dvk's pools may use: the CPUs this process may run on, capped.

os.cpu_count() is the host's count; in a container limited to two CPUs on a 64-core
host it would fork 64 copies of a build holding most of a gigabyte. The affinity mask
is what the scheduler really gives this process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

POOL_LIMIT = 4  # beyond this a build of 10,000 entries gains little and costs memory per copy


def usable_cores(limit: int = POOL_LIMIT) -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        available = os.cpu_count() or 1
    return max(1, min(limit, available))


def forking_is_safe() -> bool:
    """False while other threads run (a preview server, `mkdocs serve --clean`): a forked
    child gets only the forking thread, and a lock another thread held stays locked."""
    return threading.active_count() == 1


POOL_MIN = 400  # below this many items a second process costs more than it saves


def pool_min() -> int:
    """Fewest items worth a pool; DVK_POOL_MIN overrides it (tests run the forked paths
    on a small site with DVK_POOL_MIN=2)."""
    try:
        return max(1, int(os.environ.get("DVK_POOL_MIN", "")))
    except ValueError:
        return POOL_MIN


def pool_pays(items: int, workers: int) -> bool:
    """Whether `items` are worth splitting between `workers` forked processes here."""
    return workers > 1 and items >= pool_min() and "fork" in multiprocessing.get_all_start_methods()


def map_forked(function, slices: list, workers: int) -> list:
    """function(slice) for each slice, in `workers` forked processes (which inherit what
    the parent set up); the results in slice order."""
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(function, slices)
