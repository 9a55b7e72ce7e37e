"""A preview runs the cycle collector between rebuilds, not during them (servecollect.py)."""

from __future__ import annotations

import gc
import time

from generator.servecollect import IdleCollector


def _wait(predicate, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_no_collection_runs_while_a_rebuild_runs_and_one_follows_it():
    collector = IdleCollector(delay=0.05)
    try:
        collector.pause()
        assert not gc.isenabled()
        time.sleep(0.2)
        assert collector.collections == 0
        collector.resume()
        assert not gc.isenabled()  # not before the collection: it would start at once
        assert _wait(lambda: collector.collections == 1)
        assert gc.isenabled()
    finally:
        collector.stop()
    assert gc.isenabled()


def test_a_rebuild_that_starts_before_the_server_is_idle_postpones_the_collection():
    collector = IdleCollector(delay=0.3)
    try:
        collector.resume()
        collector.pause()  # the next save came quickly
        time.sleep(0.5)
        assert collector.collections == 0 and not gc.isenabled()
        collector.resume()
        assert _wait(lambda: collector.collections == 1)
    finally:
        collector.stop()
    assert gc.isenabled()
