"""`dvk serve` learns of a saved file from the kernel instead of rescanning content/.

mkdocs' preview server watches with watchdog's PollingObserver: every half second it
lists and stats every file under docs/, the theme and content/. At 10,000 entries that
walk took a fifth of a core all the time (6.4 CPU seconds in 20, sampled while an edit
rebuilt), on a two-core machine where the rebuild itself wants both, and a save was
seen only at the next walk. watchdog's native observer (inotify on Linux, FSEvents on
macOS) reports the save as it happens and costs nothing in between.

Where the native observer cannot watch a folder (inotify's watch limit, a network or
container file system that reports nothing), the server falls back to polling, as
mkdocs does, with one line saying so; `DVK_SERVE_POLLING=1` asks for polling outright.
Only `observer`, `watch`, `_watched_paths` and `_watch_refs` of mkdocs' server are used;
a mkdocs without them keeps its own server.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger("mkdocs.plugins.dvk")

POLLING_ENV = "DVK_SERVE_POLLING"


def native_observer_class():
    """watchdog's platform observer, or None where that is polling anyway or was declined."""
    if os.environ.get(POLLING_ENV, "").strip() not in ("", "0"):
        return None
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return None
    return None if Observer is PollingObserver else Observer


# What a save, a new file, a deletion or a rename is reported as. inotify also reports files
# being opened and closed unwritten, which the build itself does to every entry: passed
# on, each rebuild would ask for the next, for ever (mkdocs reacts to any event).
CHANGE_TYPES = frozenset({"created", "modified", "deleted", "moved", "closed", "attrib"})


class _ChangesOnly:
    """An event handler that passes on only the events of CHANGE_TYPES."""

    def __init__(self, handler):
        self.handler = handler

    def dispatch(self, event) -> None:
        if event.event_type in CHANGE_TYPES:
            self.handler.dispatch(event)


def changes_only(observer_class):
    """`observer_class` whose watches see only CHANGE_TYPES events."""

    class ChangesOnlyObserver(observer_class):
        def schedule(self, event_handler, path, *args, **kwargs):
            return super().schedule(_ChangesOnly(event_handler), path, *args, **kwargs)

    return ChangesOnlyObserver


def make_server_class(base):
    """A subclass of mkdocs' LiveReloadServer `base` that watches with the native
    observer, or `base` itself when that cannot be done."""
    native = native_observer_class()
    if native is None or not hasattr(base, "watch"):
        return base
    native = changes_only(native)

    class NativeWatchServer(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._dvk_polling = self.observer  # mkdocs' own, kept for a fall-back
            if not (hasattr(self, "_watched_paths") and hasattr(self, "_watch_refs")):
                return  # another mkdocs: its own observer, unchanged
            self.observer = native(timeout=getattr(self._dvk_polling, "timeout", 0.5))
            self._dvk_watches: list[tuple[str, bool]] = []

        def watch(self, path, func=None, *, recursive: bool = True) -> None:
            if not hasattr(self, "_dvk_watches"):
                return super().watch(path, func, recursive=recursive)
            try:
                super().watch(path, func, recursive=recursive)
            except OSError as error:
                if self.observer is self._dvk_polling:
                    raise
                self._fall_back_to_polling(error)
                super().watch(path, func, recursive=recursive)
            self._dvk_watches.append((path, recursive))

        def _fall_back_to_polling(self, error: OSError) -> None:
            """Watch every path so far, and from now on, the way mkdocs does."""
            log.info(f"dvk: không theo dõi được thay đổi tệp qua hệ điều hành ({error}); chuyển sang quét định kỳ")
            self.observer = self._dvk_polling
            self._watched_paths.clear()
            self._watch_refs.clear()
            for path, recursive in self._dvk_watches:
                super().watch(path, recursive=recursive)

    return NativeWatchServer


def use_native_watching() -> None:
    """Make mkdocs' `serve` build its server from make_server_class (call before serve())."""
    from mkdocs.commands import serve as serve_module

    current = serve_module.LiveReloadServer
    if getattr(current, "__name__", "") == "NativeWatchServer":
        return
    serve_module.LiveReloadServer = make_server_class(current)
