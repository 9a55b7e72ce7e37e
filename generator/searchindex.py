"""Make Pagefind's output byte-identical from run to run: sorted filter data, stable names.

Why this exists: Pagefind (1.x, Rust) collects filter values in a `HashMap` whose hasher
is seeded at random in every process (its source says "TODO: Change filter indexes to
BTree to give them a stable hash"). Page numbers, words and fragments come out stable, but
the order of values inside each `filter/*.pf_filter` file, and of filters in the
`pagefind.<lang>_<hash>.pf_meta` file, changes on every run — and so do their
content-hash file names and `pagefind-entry.json`. Input order, thread count and
Pagefind's options do not help: the randomness is the hash seed itself.

So after Pagefind writes, we put the same data in a fixed order: filter values and filter
names sorted (Vietnamese order, then code points to break ties), each file renamed to
Pagefind's own hash of its new content (SHA-1, as Pagefind spells it), the metadata file
pointed at the new names, and the entry file at the new metadata. Nothing else changes,
so the Pagefind scripts read the index exactly as before. CBOR is read and written with
`cbor2`; every file is checked to round-trip byte for byte before it is touched, so a
future Pagefind format we do not know fails loudly instead of publishing a broken index.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import cbor2

from .text import vn_sort_key

SIGNATURE = b"pagefind_dcd"  # Pagefind's marker before the CBOR payload, inside gzip
ENTRY = "pagefind-entry.json"


class SearchIndexError(Exception):
    """Pagefind wrote something this module does not understand (the message says what)."""


def pagefind_hash(data: bytes) -> str:
    """Pagefind's `full_hash`: SHA-1 bytes as hex, each byte *without* zero padding."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def read_payload(path: Path):
    """The CBOR value stored in a gzipped Pagefind file (verified to round-trip exactly)."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise SearchIndexError(f"{path.name}: {error}") from None
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path.name}: không có dấu pagefind_dcd")
    payload = data[len(SIGNATURE):]
    value = cbor2.loads(payload)
    if cbor2.dumps(value) != payload:
        raise SearchIndexError(f"{path.name}: CBOR không đọc lại được y nguyên")
    return value


def encode_payload(value) -> tuple[bytes, bytes]:
    """(CBOR payload, gzipped file bytes) with a fixed gzip header (mtime 0)."""
    payload = cbor2.dumps(value)
    return payload, gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0)


def text_order(text: str) -> tuple:
    """Vietnamese order, code points to break ties ("hoà" and "hòa" never swap by chance)."""
    return (vn_sort_key(text), text)


def sort_filter(value: list) -> list:
    """[name, [[value, pages], …]] with the values in text order."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
        raise SearchIndexError("tệp bộ lọc không có dạng [tên, [giá trị…]]")
    name, values = value
    if not all(isinstance(item, list) and item and isinstance(item[0], str) for item in values):
        raise SearchIndexError(f"bộ lọc {name!r}: giá trị không có dạng [chữ, trang]")
    return [name, sorted(values, key=lambda item: text_order(item[0]))]


def canonicalise_pagefind(outdir: Path) -> bool:
    """Rewrite Pagefind's filter and metadata files in a fixed order; False when there is no index."""
    entry_path = outdir / ENTRY
    if not entry_path.is_file():
        return False
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry.get("languages", {}).items()):
        info["hash"] = _canonicalise_language(outdir, language, info["hash"])
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    _write_atomic(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return True


def _canonicalise_language(outdir: Path, language: str, meta_hash: str) -> str:
    """Sort one language's filters; return the new metadata hash."""
    meta_path = outdir / f"pagefind.{meta_hash}.pf_meta"
    meta = read_payload(meta_path)
    if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
        raise SearchIndexError(f"{meta_path.name}: không có danh sách bộ lọc")
    filters = []
    for name, old_hash in meta[3]:
        old_path = outdir / "filter" / f"{old_hash}.pf_filter"
        payload, packed = encode_payload(sort_filter(read_payload(old_path)))
        new_hash = _short_hash(language, payload, 7)
        new_path = outdir / "filter" / f"{new_hash}.pf_filter"
        _write_atomic(new_path, packed)
        if new_path != old_path:
            old_path.unlink()
        filters.append([name, new_hash])
    meta[3] = sorted(filters, key=lambda item: text_order(item[0]))
    payload, packed = encode_payload(meta)
    new_meta = _short_hash(language, payload, len(language) + 8)  # Pagefind's own cut
    new_path = outdir / f"pagefind.{new_meta}.pf_meta"
    _write_atomic(new_path, packed)
    if new_path != meta_path:
        meta_path.unlink()
    return new_meta


def _short_hash(language: str, payload: bytes, length: int) -> str:
    """Pagefind's file-name hash: "<lang>_" plus the first `length` hex digits."""
    return f"{language}_{pagefind_hash(payload)[:length]}"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
