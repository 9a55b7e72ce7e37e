"""Compressed copies kept by content: the levels a file gets, the codecs, and the cache of
compressed bytes by (SHA-256 of the original, encoding, level).

Two callers: `precompress.py` walks a finished tree and places copies from here, and a
process that has just written a page, with its bytes in memory, makes the page's copies
here directly (write_page_copies). Nothing here walks a tree.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import brotli

from .build.cache import place_blob, write_and_keep, write_atomic
from .build.fingerprint import package_versions
from .stamps import file_identity

# Text formats worth compressing (the search index is JSON); images and WOFF2 fonts are
# compressed already and left alone.
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".map"})
# Shared assets (CSS, JS) are few and fetched by every visitor: the smallest output is worth
# the time. Everything else gets a fast level (brotli 11 costs milliseconds even for a 1 KB
# file, which at 10,000 entries was most of a cold build): the pages faster still, below.
ASSET_SUFFIXES = frozenset({".css", ".js", ".mjs"})
# HTML pages (12,000 at 10,000 entries; the entry and listing pages each get their copies
# in the process that renders them, see write_page_copies):
# brotli 3. Their copies come out 12 % larger than at brotli 5 (4.3 against 3.8 KB for a
# 14 KB entry page), which either way arrives in the first round trip of a connection
# (ten segments, about 14 KB), so a citizen's phone waits no longer; brotli 5 cost the
# page workers 2.5 s more CPU in a cold 10,000-entry build (1.2-1.5 s of its wall time in
# interleaved cold builds): its larger hash tables push the renderer's data out of the cache,
# 0.16 ms a page alone but about 0.35 ms there. gzip is the copy for clients without
# brotli (plain HTTP): zlib's level 2 took 0.15 ms a page where its level 5 took 0.24 ms,
# for 9 % more bytes. (ISA-L's igzip took 0.04 ms for the same bytes, but its output for
# one input was not always the same: a clean build's .gz copies of small scripts once came
# out in another valid encoding than every other process's, so an incremental build,
# which keeps earlier copies, differed from a clean one.)
PAGE_LEVELS = {"br": 3, "gz": 2}
# Other text that is not a shared asset (the search index's JSON that every first query
# fetches, data files, the editors' scripts): a few hundred files of 2 KB or more (the
# citation JSON of an entry is smaller: no copy), where brotli 5 is worth its time (0.3 %
# larger than 6 and 8 % faster).
DATA_LEVELS = {"br": 5, "gz": 2}
ASSET_LEVELS = {"br": 11, "gz": 9}
# Decap CMS's 5 MB script (loaded by editors at /admin/, not by citizens) took 10 s at
# brotli 11 and 0.6 s at 9, for 10 % more bytes: large assets get the faster level.
LARGE_ASSET_BYTES = 512 * 1024
LARGE_ASSET_LEVELS = {"br": 9, "gz": 9}
MIN_BYTES = 2048  # a smaller file takes one or two packets either way: a copy saves no round
# trip, and at 10,000 entries the citation JSON files alone would add 20,000 copies
MAX_RATIO = 0.9  # a copy must be at most 90 % of the original
ENCODINGS = ("br", "gz")
COPY_SUFFIXES = tuple(f".{encoding}" for encoding in ENCODINGS)


@dataclass(frozen=True)
class WrittenCopies:
    """A page's copies written by the process that wrote the page (write_page_copies)."""

    stamp: tuple[int, int, int, int]  # the page's (device, inode, size, mtime), to tell it is
    # still the file the copies were made from (a written page is a hard link to its blob
    # in the output cache, so no other file takes that inode while the blob is there)
    counts: tuple[int, int, int, int]  # (original, br size, copies written, removed)
    names: tuple[str, ...]  # the cache entries used


def compress_gzip(data: bytes, level: int) -> bytes:
    """gzip bytes with mtime 0 and no file name: identical for identical input (zlib)."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def compress_brotli(data: bytes, level: int) -> bytes:
    mode = brotli.MODE_TEXT
    return brotli.compress(data, mode=mode, quality=level)


def is_text_asset(path: Path | str) -> bool:
    """A format worth compressing, by name (a string: no Path made per listed file)."""
    return os.path.splitext(path)[1].lower() in TEXT_SUFFIXES


class CompressedCache:
    """Compressed bytes by (SHA-256 of the original, encoding, level); b"" = not worth a copy."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.used: set[str] = set()
        self._shards: set[str] = set()  # shard folders known to exist (one makedirs each)

    def write_copy(self, data: bytes, encoding: str, level: int, target: Path, digest: str | None = None) -> int | None:
        """Make `target` the compressed copy of `data`; its size, or None when not worth one.

        From the cache a copy is a hard link to the entry (entries are never rewritten in
        place: new bytes get a new name), else it is compressed and kept. `digest`: the
        SHA-256 of `data` when the caller has it.
        """
        if self.folder is None:
            packed = compress_or_none(data, encoding, level)
            if packed is not None:
                target.write_bytes(packed)
            return None if packed is None else len(packed)
        name = self.keep(data, encoding, level, digest)
        shard = os.path.join(self.folder, name[:2])
        blob = os.path.join(shard, name)
        try:
            size = os.stat(blob).st_size
        except OSError:
            packed = compress_or_none(data, encoding, level)
            self._make_shard(shard)
            if not packed:  # remembered as not worth a copy
                write_atomic(Path(blob), b"")  # never half-written, even with two builds at once
                return None
            write_and_keep(packed, target, blob)  # the copy, also kept as the entry
            return len(packed)
        if not size:
            return None
        place_blob(blob, target)
        return size

    def write_page_copies(self, data: bytes, digest: str, path: str) -> "WrittenCopies | None":
        """The .br and .gz copies of a page just written at `path` (`digest`: the SHA-256 of
        `data`), made by the process that rendered it: the bytes are in memory and the
        page's folder was just made. precompress_tree then counts them without looking
        (its `written`). A cold build at 10,000 entries read, hashed and compressed 12,000
        pages again there, writing into every folder a second time. None: not done here."""
        if self.folder is None or len(data) < MIN_BYTES or not is_text_asset(path) or choose_levels(path, len(data)) is not PAGE_LEVELS:
            return None
        sizes = [self.write_copy(data, encoding, PAGE_LEVELS[encoding], Path(f"{path}.{encoding}"), digest) for encoding in ENCODINGS]
        names = tuple(cache_name(digest, encoding, PAGE_LEVELS[encoding]) for encoding in ENCODINGS)
        return WrittenCopies(file_identity(os.stat(path)), (len(data), sizes[0] or len(data), sum(1 for size in sizes if size), 0), names)

    def entry(self, digest: str, encoding: str, level: int) -> tuple[str, str, os.stat_result] | None:
        """(name, path, stat) of the entry for (digest, encoding, level), None when the
        cache has none (not marked used: see linked_entry_size, entry_to_place)."""
        if self.folder is None:
            return None
        name = cache_name(digest, encoding, level)
        path = os.path.join(self.folder, name[:2], name)
        try:
            return name, path, os.stat(path)
        except OSError:
            return None

    def linked_entry_size(self, digest: str, encoding: str, level: int, target: str, inode: int | None = None, device: int | None = None) -> int | None:
        """The size of the entry for (digest, encoding, level) when `target` is a hard link
        to it (a copy an earlier build placed, still valid: entries are never rewritten),
        marking it used; None when it is not (or the entry says no copy is worth it).
        `inode`: the target's, when known, on `device` (the site's)."""
        found = self.entry(digest, encoding, level)
        if found is None or not found[2].st_size or not is_same_file(target, found[2], inode, device):
            return None
        self.used.add(found[0])
        return found[2].st_size

    def entry_to_place(self, digest: str, encoding: str, level: int) -> tuple[int, str] | None:
        """(size, path) of the entry for (digest, encoding, level), marked used; size 0:
        remembered as not worth a copy. None: not in the cache."""
        found = self.entry(digest, encoding, level)
        if found is None:
            return None
        self.used.add(found[0])
        return found[2].st_size, found[1]

    def warm(self, data: bytes, path: str) -> None:
        """Make the entries for the copies of a file written elsewhere, so this build's
        precompress only links them: the open data run (mkdocs_background.py) calls it for
        its files, and entries.json (15 MB at 10,000 entries, changed by any edit) was
        otherwise compressed after that run, 0.13 s on the path of a one-edit build.
        Only pages and data (not CSS or scripts: their level depends on where they are,
        see choose_levels); an entry already there is left as it is."""
        if self.folder is None or len(data) < MIN_BYTES or not is_text_asset(path):
            return
        levels = choose_levels(path, len(data))
        if levels is PAGE_LEVELS or levels is DATA_LEVELS:
            self.warm_levels(data, hashlib.sha256(data).hexdigest(), levels)

    def missing_levels(self, digest: str, levels: dict[str, int]) -> dict[str, int]:
        """The {encoding: level} of `levels` whose entry for `digest` is not in the cache."""
        return {encoding: level for encoding, level in levels.items() if self.entry(digest, encoding, level) is None}

    def warm_levels(self, data: bytes, digest: str, levels: dict[str, int]) -> None:
        """Make the entries of `data` (SHA-256 `digest`) at `levels` that are missing."""
        for encoding, level in self.missing_levels(digest, levels).items():
            name = cache_name(digest, encoding, level)
            shard = os.path.join(self.folder, name[:2])
            self._make_shard(shard)
            write_atomic(Path(shard, name), compress_or_none(data, encoding, level) or b"")  # b"": not worth a copy

    def _make_shard(self, shard: str) -> None:
        """The folder of a shard of entries, made once per cache object."""
        if shard not in self._shards:
            os.makedirs(shard, exist_ok=True)
            self._shards.add(shard)

    def keep(self, data: bytes, encoding: str, level: int, digest: str | None = None) -> str:
        """Mark the entry for `data` as used by this run (kept by prune); returns its name."""
        name = cache_name(digest or hashlib.sha256(data).hexdigest(), encoding, level)
        self.used.add(name)  # set.add is atomic under the GIL: safe from the worker threads
        return name

    def prune(self) -> None:
        """Drop the entries this run did not use (the folder holds one site's copies)."""
        if self.folder is None or not self.folder.is_dir():
            return
        # names as strings (a Path per entry was a third of this at 24,000 entries)
        with os.scandir(self.folder) as shards:
            for shard in shards:
                if not shard.is_dir(follow_symlinks=False):
                    continue
                for name in os.listdir(shard.path):
                    if name not in self.used and not name.startswith(".tmp-"):
                        try:
                            os.unlink(os.path.join(shard.path, name))
                        except FileNotFoundError:
                            pass


def _codecs() -> str:
    """The compressors' versions, short: another brotli or zlib may give other bytes for
    the same input and level, and a copy kept from the old one would then differ from a
    clean build's (both decoding to the page)."""
    import zlib

    versions = [*package_versions(("brotli",)), f"zlib={zlib.ZLIB_RUNTIME_VERSION}"]
    return hashlib.sha256(" ".join(versions).encode()).hexdigest()[:8]


CODECS = _codecs()


def cache_name(digest: str, encoding: str, level: int) -> str:
    """A compressed entry's name: the original's SHA-256, the encoding and level, and the
    compressors' versions (an upgrade starts afresh; prune drops the old entries)."""
    return f"{digest}.{encoding}{level}-{CODECS}"


def choose_levels(path: Path | str, size: int, editor: tuple[str, ...] = ()) -> dict[str, int]:
    """The levels for one file; `editor`: folders (as path prefixes) of assets only editors
    load, at the data levels: Decap CMS's 81 files at /admin/ (5.7 MB) took 2.9 of a cold
    build's 12 CPU seconds of compression at the asset levels, for an editor's one load."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".html":
        return PAGE_LEVELS
    if suffix not in ASSET_SUFFIXES or str(path).startswith(editor):
        return DATA_LEVELS
    return LARGE_ASSET_LEVELS if size > LARGE_ASSET_BYTES else ASSET_LEVELS


def compress_or_none(data: bytes, encoding: str, level: int) -> bytes | None:
    packed = compress_brotli(data, level) if encoding == "br" else compress_gzip(data, level)
    return packed if len(packed) <= MAX_RATIO * len(data) else None


def is_same_file(path: str, blob: os.stat_result, inode: int | None = None, device: int | None = None) -> bool:
    """Whether `path` is the file `blob` (its inode on `device` when known: no stat)."""
    if inode is not None and device is not None:
        return inode == blob.st_ino and device == blob.st_dev
    try:
        return os.path.samestat(os.stat(path), blob)
    except OSError:
        return False
