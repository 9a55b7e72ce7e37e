"""How many processes dvk's pools may use: the CPUs this process may run on, capped.

os.cpu_count() is the host's count; in a container limited to two CPUs on a 64-core
host it would fork 64 copies of a build holding most of a gigabyte. The affinity mask
is what the scheduler really gives this process.
"""

from __future__ import annotations

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


def pool_min(default: int) -> int:
    """Fewest items worth a pool; DVK_POOL_MIN overrides it (tests run the forked paths
    on a small site with DVK_POOL_MIN=2)."""
    try:
        return max(1, int(os.environ.get("DVK_POOL_MIN", "")))
    except ValueError:
        return default
