"""Shared by the browser benchmarks and tests: serve a built site on loopback, launch Chromium.

The server behaves like a static host configured for the site's precompressed copies
(nginx `gzip_static`/`brotli_static`, Caddy `precompressed`): for `page.html` it sends
`page.html.br` or `page.html.gz` with `Content-Encoding` when the request's
Accept-Encoding allows it and the copy exists, else the file itself. Transfer sizes
measured through it are therefore what a citizen's phone downloads from such a host.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

CHROMIUM = Path(os.environ.get("DVK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

# encoding token -> suffix of the precompressed copy, in order of preference
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """Content codings a client accepts (q=0 means refused), lower-cased."""
    accepted = set()
    for part in header.split(","):
        token, _, params = part.strip().partition(";")
        token = token.strip().lower()
        quality = params.strip()
        if not token or quality.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(token)
    return accepted


class PrecompressedHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that serves `<file>.br` / `<file>.gz` when the client accepts them."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the slash URL
            path = os.path.join(path, "index.html")
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        if "*" in accepted:
            accepted |= {name for name, _ in ENCODINGS}
        for name, suffix in ENCODINGS:
            if name in accepted and os.path.isfile(path + suffix) and os.path.isfile(path):
                return self._send_encoded(path, path + suffix, name)
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        """A missing file gets the site's own 404.html (as static hosts do), with status 404."""
        page = os.path.join(self.directory, "404.html")
        if code != 404 or not os.path.isfile(page):
            return super().send_error(code, message, explain)
        body = open(page, "rb").read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_encoded(self, original: str, encoded: str, name: str):
        handle = open(encoded, "rb")
        size = os.fstat(handle.fileno()).st_size
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(original))
        self.send_header("Content-Encoding", name)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        return handle


def serve_site(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a quiet static server for `site` on 127.0.0.1 (a free port); return (server, base URL).

    Stop it with server.shutdown(); server.server_close().
    """
    handler = functools.partial(PrecompressedHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def launch_chromium(playwright):
    """Debian's chromium, with the flags this closed network needs."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
