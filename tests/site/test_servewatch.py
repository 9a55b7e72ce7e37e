"""`dvk serve` watches with the platform's observer and falls back to polling (servewatch.py)."""

from __future__ import annotations

import time

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from generator.servewatch import make_server_class

pytest.importorskip("watchdog.observers.inotify")


def _server(cls, site):
    return cls(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))


def _rebuild_wanted(server, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server._want_rebuild:
            return True
        time.sleep(0.02)
    return False


def test_a_saved_entry_is_seen_without_rescanning_the_content_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DVK_SERVE_POLLING", raising=False)
    content = tmp_path / "content" / "models" / "ward-2025"
    content.mkdir(parents=True)
    entry = content / "mo-hinh.md"
    entry.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    server = _server(make_server_class(LiveReloadServer), tmp_path / "site")
    assert not isinstance(server.observer, PollingObserver)
    server.watch(str(tmp_path / "content"))
    server.observer.start()
    try:
        time.sleep(0.2)
        assert not server._want_rebuild
        entry.write_text("---\ntitle: B\n---\n", encoding="utf-8")
        assert _rebuild_wanted(server)
    finally:
        server.observer.stop()
        server.observer.join()


def test_a_folder_the_kernel_cannot_watch_is_polled_like_mkdocs_does(tmp_path, monkeypatch):
    monkeypatch.delenv("DVK_SERVE_POLLING", raising=False)
    (tmp_path / "docs").mkdir()
    (tmp_path / "content").mkdir()
    server = _server(make_server_class(LiveReloadServer), tmp_path / "site")
    server.watch(str(tmp_path / "docs"))
    native = server.observer

    def refuse(*args, **kwargs):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(native, "schedule", refuse)
    server.watch(str(tmp_path / "content"))
    assert isinstance(server.observer, PollingObserver)
    assert sorted(server._watched_paths) == sorted([str(tmp_path / "docs"), str(tmp_path / "content")])
    server.observer.start()
    try:
        time.sleep(0.3)
        (tmp_path / "docs" / "new.md").write_text("x", encoding="utf-8")
        assert _rebuild_wanted(server)
    finally:
        server.observer.stop()
        server.observer.join()


def test_polling_can_be_asked_for(monkeypatch):
    monkeypatch.setenv("DVK_SERVE_POLLING", "1")
    assert make_server_class(LiveReloadServer) is LiveReloadServer


def test_reading_the_content_during_a_build_asks_for_no_rebuild(tmp_path, monkeypatch):
    """inotify reports files opened and closed unwritten; a build reads every entry."""
    monkeypatch.delenv("DVK_SERVE_POLLING", raising=False)
    (tmp_path / "content").mkdir()
    entry = tmp_path / "content" / "mo-hinh.md"
    entry.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    server = _server(make_server_class(LiveReloadServer), tmp_path / "site")
    server.watch(str(tmp_path / "content"))
    server.observer.start()
    try:
        time.sleep(0.2)
        for _ in range(3):
            entry.read_bytes()
        assert not _rebuild_wanted(server, seconds=1.0)
        entry.touch()  # a new modification time: polling would rebuild too
        assert _rebuild_wanted(server)
    finally:
        server.observer.stop()
        server.observer.join()
