"""`dvk serve` runs Python's cycle collector between rebuilds, not during them.

A preview holds the validator's cache, the derived site and the output manifest: millions
of objects at 10,000 entries. A full collection walks all of them; one fell inside every
one-edit rebuild (0.52 s, freeing 78 objects), as the allocation counters, not need,
decide when. `dvk build` simply runs without the collector (mkdocs_plugin.on_startup),
but a preview runs for hours and its rebuilds do leave cycles (mkdocs' pages and nav),
so here the collector is off while a rebuild runs and until one full collection a few
seconds after it, while the editor reads the page, unless the next rebuild has started.
"""

from __future__ import annotations

import gc
import threading

IDLE_SECONDS = 3.0  # after a rebuild: the reloaded page has been served by then


class IdleCollector:
    def __init__(self, delay: float = IDLE_SECONDS):
        self.delay = delay
        self.building = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.collections = 0

    def pause(self) -> None:
        """A rebuild starts: no collection until it ends."""
        with self._lock:
            self.building = True
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            gc.disable()

    def resume(self) -> None:
        """The rebuild ended (or failed): collect once the server has been idle a while.
        The collector stays off until then: switched on here, the next allocation started
        the full collection the rebuild had been spared, before the browser reloaded."""
        with self._lock:
            self.building = False
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self.building = False
            gc.enable()

    def _collect(self) -> None:
        with self._lock:
            if self.building:
                return
            self._timer = None
            gc.collect()
            gc.enable()
            self.collections += 1
