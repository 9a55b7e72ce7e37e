"""Shared by the browser benchmarks: serve a built site on loopback, launch Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

CHROMIUM = Path(os.environ.get("DVK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_site(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a quiet static server for `site` on 127.0.0.1; return (server, base URL)."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def launch_chromium(playwright):
    """Debian's chromium, with the flags this closed network needs."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
