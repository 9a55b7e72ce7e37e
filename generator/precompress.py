"""Precompressed `.br` and `.gz` copies of a built site's text files.

A phone on a slow connection downloads a page, its CSS and its scripts; compressed, those
are four to seven times smaller. Static hosts can send a precompressed copy without
compressing on every request (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`,
Apache MultiViews, most object stores with a Content-Encoding rule), so the build writes
`page.html.br` and `page.html.gz` beside `page.html`. Hosts that do not know about them
serve the originals as before.

This is one step over a finished output tree, independent of mkdocs and of how pages
were written: the plugin calls it after Pagefind has indexed the site, and any other
pipeline can call `precompress_tree(site_dir)` last.

Copies are deterministic (same input, same bytes): gzip with mtime 0 and no file name in
the header, brotli with fixed parameters. A copy is written only where it saves at least
a tenth of the bytes; a stale copy of a file that no longer qualifies is removed, so a
host never serves old content.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

# Text formats worth compressing. Pagefind's index files (.pf_*, wasm.*.pagefind) are
# already gzip inside and are left alone, as are images and WOFF2 fonts.
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".map"})
# Pages are many and each is fetched once: a fast level. Shared assets (CSS, JS) are few and
# fetched by every visitor: the smallest output is worth the time.
PAGE_SUFFIXES = frozenset({".html", ".xml"})
PAGE_LEVELS = {"br": 6, "gz": 6}
ASSET_LEVELS = {"br": 11, "gz": 9}
MIN_BYTES = 256  # below this, headers outweigh any saving
MAX_RATIO = 0.9  # a copy must be at most 90 % of the original
ENCODINGS = ("br", "gz")


@dataclass
class PrecompressStats:
    files: int = 0  # text files considered
    written: int = 0  # copies written (.br and .gz counted apart)
    original_bytes: int = 0
    br_bytes: int = 0  # bytes a brotli-capable client downloads for the compressed files
    removed: int = 0  # stale copies removed


def compress_gzip(data: bytes, level: int) -> bytes:
    """gzip bytes with mtime 0 and no file name: identical for identical input."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def compress_brotli(data: bytes, level: int) -> bytes:
    mode = brotli.MODE_TEXT
    return brotli.compress(data, mode=mode, quality=level)


def is_text_asset(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def precompress_file(path: Path) -> tuple[int, int, int, int]:
    """Write (or remove) the .br and .gz copies of one file; (original, br size, written, removed)."""
    data = path.read_bytes()
    levels = PAGE_LEVELS if path.suffix.lower() in PAGE_SUFFIXES else ASSET_LEVELS
    written = removed = 0
    br_size = len(data)
    for encoding in ENCODINGS:
        target = path.with_name(path.name + "." + encoding)
        packed = None
        if len(data) >= MIN_BYTES:
            packed = compress_brotli(data, levels["br"]) if encoding == "br" else compress_gzip(data, levels["gz"])
            if len(packed) > MAX_RATIO * len(data):
                packed = None
        if packed is None:
            if target.exists():
                target.unlink()
                removed += 1
            continue
        if not target.exists() or target.read_bytes() != packed:
            target.write_bytes(packed)
        written += 1
        if encoding == "br":
            br_size = len(packed)
    return len(data), br_size, written, removed


def remove_orphan_copies(root: Path) -> int:
    """Delete `x.br` / `x.gz` whose text original `x` is gone (a page removed since the last build)."""
    removed = 0
    for encoding in ENCODINGS:
        for copy in root.rglob(f"*.{encoding}"):
            original = copy.with_name(copy.name[: -len(encoding) - 1])
            if is_text_asset(original) and not original.exists():
                copy.unlink()
                removed += 1
    return removed


def precompress_tree(root: Path, workers: int | None = None) -> PrecompressStats:
    """Give every text file under `root` its .br and .gz copies (in parallel: zlib and brotli release the GIL)."""
    root = Path(root)
    stats = PrecompressStats(removed=remove_orphan_copies(root))
    files = sorted(p for p in root.rglob("*") if p.is_file() and is_text_asset(p))
    with ThreadPoolExecutor(max_workers=workers or min(8, os.cpu_count() or 1)) as pool:
        for original, br_size, written, removed in pool.map(precompress_file, files):
            stats.files += 1
            stats.original_bytes += original
            stats.br_bytes += br_size
            stats.written += written
            stats.removed += removed
    return stats
