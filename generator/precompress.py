"""Precompressed `.br` and `.gz` copies of a built site's text files.

A phone on a slow connection downloads a page, its CSS and its scripts; compressed, those
are four to seven times smaller. Static hosts can send a precompressed copy without
compressing on every request (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`,
Apache MultiViews, most object stores with a Content-Encoding rule), so the build writes
`page.html.br` and `page.html.gz` beside `page.html`. Hosts that do not know about them
serve the originals as before.

This is one step over a finished output tree, independent of mkdocs and of how pages
were written: the plugin calls it after the search index is written, and any other
pipeline can call `precompress_tree(site_dir)` last.

Copies are deterministic (same input, same bytes): gzip with mtime 0 and no file name in
the header, brotli with fixed parameters. A valid copy another step of the same build
wrote (mkdocs writes sitemap.xml.gz, dated from the content) is kept; a copy an earlier
build left in a kept tree counts only as this build's own bytes (_left_by_last_build). A
copy is written only where it saves at least a tenth of the bytes; a stale copy of a file
that no longer qualifies is removed, so a host never serves old content.

With a `cache` folder, compressed bytes are kept by the SHA-256 of the original (and the
level): a rebuild compresses only files whose bytes changed, e.g. one entry page and the
listings showing it, not 20,000 pages and Decap's 5 MB script again. Entries the build
did not use are removed afterwards, so the folder holds one site's copies (that cache,
the levels and the codecs: compressed.py).
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

from .build.cache import place_blob
from .build.walk import walk_files
from .compressed import COPY_SUFFIXES, ENCODINGS, MAX_RATIO, MIN_BYTES, CompressedCache, WrittenCopies, choose_levels, is_same_file, is_text_asset
from .cores import map_forked, pool_pays, usable_cores
from .stamps import file_identity

@dataclass
class PrecompressStats:
    files: int = 0  # text files considered
    written: int = 0  # copies written (.br and .gz counted apart)
    original_bytes: int = 0
    br_bytes: int = 0  # bytes a brotli-capable client downloads for the compressed files
    removed: int = 0  # stale copies removed

    def __add__(self, other: "PrecompressStats") -> "PrecompressStats":
        return PrecompressStats(*(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other))))


def precompress_file(path: Path, cache: CompressedCache | None = None, copies: dict[str, int | None] | set[str] | None = None, editor: tuple[str, ...] = ()) -> tuple[int, int, int, int]:
    """Write (or remove) the .br and .gz copies of one file; (original, br size, written, removed).

    `copies`: the .br/.gz files known to exist (a listing of the tree), so a file
    without any costs no lookup for them, with the inode of each one a kept tree held
    before this build (see _left_by_last_build); None: look on disk."""
    cache = cache or CompressedCache(None)
    data = path.read_bytes()
    levels = choose_levels(path, len(data), editor)
    written = removed = 0
    br_size = len(data)
    for encoding in ENCODINGS:
        target = Path(f"{path}.{encoding}")
        there = target.exists() if copies is None else str(target) in copies
        if there and len(data) >= MIN_BYTES and not _left_by_last_build(target, copies) and _is_copy_of(target, data, encoding):
            # a correct copy someone else wrote (mkdocs' sitemap.xml.gz, dated by the
            # build from the content) stays as it is
            if cache.folder is not None:
                cache.keep(data, encoding, levels[encoding])
            written += 1
            if encoding == "br":
                br_size = target.stat().st_size
            continue
        size = cache.write_copy(data, encoding, levels[encoding], target) if len(data) >= MIN_BYTES else None
        if size is None:
            if there:
                target.unlink(missing_ok=True)
                removed += 1
            continue
        written += 1
        if encoding == "br":
            br_size = size
    return len(data), br_size, written, removed


def place_known_copies(path: Path, source: str, size: int, cache: CompressedCache, copies: dict[str, int | None] | None = None, checked: bool = False, device: int | None = None, editor: tuple[str, ...] = ()) -> tuple[int, int, int, int] | None:
    """precompress_file for a file that is a hard link to `source`, a blob named by the
    SHA-256 of its bytes (a page the build placed from its output cache), without reading
    it: the file must still be that blob (nothing replaced it since; `checked`: the caller
    just made sure, build/kept.py) and both compressed entries must be in the cache, else
    None (the caller reads the file). `copies`: the .br/.gz files already there (a kept
    tree), with their inode when known (on `device`, the site's): one that is still its
    cache entry (same inode) stays, another is replaced or removed. `editor`: as for
    choose_levels (cached scripts of /admin/ are placed too, see mkdocs_static.py)."""
    if cache.folder is None or size < MIN_BYTES:
        return None
    copies = copies or {}
    if not checked:
        try:
            mine, theirs = os.stat(path), os.stat(source)
        except OSError:
            return None
        if (mine.st_ino, mine.st_dev) != (theirs.st_ino, theirs.st_dev):
            return None
    digest = os.path.basename(source)
    levels = choose_levels(path, size, editor)
    found = []
    for encoding in ENCODINGS:
        entry = cache.entry(digest, encoding, levels[encoding])
        if entry is None:
            return None
        found.append((encoding, *entry))
    written, removed, br_size = 0, 0, size
    for encoding, name, blob, entry in found:
        cache.used.add(name)
        packed = entry.st_size
        target = f"{path}.{encoding}"
        there = target in copies
        if not packed:  # an empty entry: not worth a copy
            if there:
                os.unlink(target)
                removed += 1
            continue
        if not there or not is_same_file(target, entry, copies[target], device):
            place_blob(blob, target)
        written += 1
        if encoding == "br":
            br_size = packed
    return size, br_size, written, removed


def _is_stamp(path: str, stamp: tuple[int, int, int, int]) -> bool:
    """Whether the file at `path` is still the one stamped (a writer after the page's, such
    as another plugin rewriting it in place, changes its size or time)."""
    try:
        return file_identity(os.stat(path)) == stamp
    except OSError:
        return False


def _left_by_last_build(target: Path, copies) -> bool:
    """Whether `target` is a copy the kept tree still holds from the build before (the
    inode the tree update recorded, build/kept.TreeListing). Such a copy is valid only as
    this build's own (the cache entry, checked before it gets here), never merely because
    it unpacks to the file: it may be of another level or compressor version, which a clean
    build would not write. A copy written during this build (mkdocs' sitemap.xml.gz) is
    another file, and stays when it is a valid copy."""
    inode = copies.get(str(target)) if isinstance(copies, dict) else None
    if inode is None:
        return False
    try:
        return os.stat(target).st_ino == inode
    except OSError:
        return False


def _is_copy_of(target: Path, data: bytes, encoding: str) -> bool:
    try:
        unpacked = brotli.decompress(target.read_bytes()) if encoding == "br" else gzip.decompress(target.read_bytes())
    except (brotli.error, OSError, EOFError, ValueError):  # gone meanwhile, or not a copy
        return False
    return unpacked == data and target.stat().st_size <= MAX_RATIO * len(data)


def remove_orphan_copies(root: Path, sizes: dict[str, int] | None = None) -> int:
    """Delete `x.br` / `x.gz` whose text original `x` is gone (a page removed since the last build)."""
    sizes = list_files(root) if sizes is None else sizes
    removed = 0
    for name in list(sizes):
        for encoding in ENCODINGS:
            if name.endswith("." + encoding):
                original = name[: -len(encoding) - 1]
                if is_text_asset(original) and original not in sizes:
                    os.unlink(name)
                    del sizes[name]
                    removed += 1
    return removed


def list_files(root: Path) -> dict[str, int]:
    """{path: size} of every regular file under root (symbolic links not followed); the
    size of text files only (-1 for the others: one stat per file less at 60,000 files)."""
    found: dict[str, int] = {}
    for _, entry in walk_files(root):
        if entry.is_file(follow_symlinks=False):
            found[entry.path] = entry.stat(follow_symlinks=False).st_size if is_text_asset(entry.name) else -1
    return found


def precompress_tree(root: Path, workers: int | None = None, cache: Path | CompressedCache | None = None, known: dict[str, str] | None = None, listing=None, prune: bool = True, editor_dirs: tuple[str, ...] = (), written: dict[str, WrittenCopies] | None = None) -> PrecompressStats:
    """Give every text file under `root` its .br and .gz copies, compressing only bytes not
    already in `cache` (see the module docstring). `known`: {path: blob} for files that
    are hard links to a blob named by the SHA-256 of its bytes (pages placed from the
    build's output cache): their copies are placed without reading them (a one-edit
    rebuild at 10,000 entries read 170 MB for nothing). `listing`: the tree's files as the
    kept-tree update just saw them (build/kept.TreeListing), instead of walking it again:
    its cached pages are checked already, and it has no copies but theirs.

    Brotli holds the GIL while it compresses (zlib does not), so threads ran a cold
    10,000-entry site one core at a time: with enough files, forked processes take
    interleaved slices (largest files first, so the slices weigh about the same) and
    report which cache entries they used; results do not depend on the split.

    `editor_dirs`: folders of the site (relative) whose assets only editors load (see
    choose_levels).

    `written`: {path: WrittenCopies} of pages whose copies the page writer made
    (write_page_copies): counted, not looked at, while the page is still that file.

    A tree finished in parts (the files of a background run placed last) is compressed
    with one `CompressedCache` for all parts and `prune` only on the last: pruning drops
    the cache entries no part used so far.
    """
    root = Path(root)
    checked: frozenset[str] = frozenset()
    if listing is None:
        sizes = list_files(root)
        stats = PrecompressStats(removed=remove_orphan_copies(root, sizes))
        copies: dict[str, int | None] = {name: None for name in sizes if name.endswith(COPY_SUFFIXES)}
    else:
        base = os.path.normpath(root)
        copies = {f"{base}/{name}": inode for name, inode in listing.copies.items()}
        sizes = {f"{base}/{name}": size for name, size in listing.files.items()} | dict.fromkeys(copies, -1)
        checked = frozenset(f"{base}/{name}" for name in listing.placed)
        stats = PrecompressStats(removed=remove_orphan_copies(root, sizes))
        for name in copies.keys() - sizes.keys():
            del copies[name]
    # paths as the walk spells them (normalised, from the normalised root)
    files = [name for name in sorted(sizes) if sizes[name] >= 0]
    known = {os.path.normpath(name): str(blob) for name, blob in (known or {}).items()}
    written = {os.path.normpath(name): copies for name, copies in (written or {}).items()}
    device = os.stat(root).st_dev
    compressed = cache if isinstance(cache, CompressedCache) else CompressedCache(cache)
    workers = workers or usable_cores()
    editor = tuple(os.path.join(os.path.normpath(root), folder) + os.sep for folder in editor_dirs)
    # pages placed from the output cache first, here: a few system calls each (forking
    # for them cost a second of a one-edit build at 10,000 entries)
    counts, rest = [0, 0, 0, 0, 0], []
    for path in files:
        if sizes[path] < MIN_BYTES and f"{path}.br" not in copies and f"{path}.gz" not in copies:
            _add_counts(counts, (sizes[path], sizes[path], 0, 0))  # too small for a copy, and has none
            continue
        done = written.get(path)
        if done is not None and _is_stamp(path, done.stamp):
            _add_counts(counts, done.counts)
            compressed.used.update(done.names)
            continue
        blob = known.get(path)
        placed = place_known_copies(path, blob, sizes[path], compressed, copies, path in checked, device, editor) if blob is not None else None
        if placed is None:
            rest.append(path)
        else:
            _add_counts(counts, placed)
    if compressed.folder is not None:
        rest = _place_cached_copies(rest, compressed, copies, editor, counts, device)
    if pool_pays(len(rest), workers):
        by_size = sorted(rest, key=lambda path: -sizes[path])
        slices = [by_size[start::workers] for start in range(workers)]
        parts = map_forked(_precompress_slice, [(part, compressed.folder, copies, editor) for part in slices], workers)
    else:
        parts = [_precompress_slice((rest, compressed.folder, copies, editor), threads=min(8, workers))]
    for part, used in parts:
        for index, value in enumerate(part):
            counts[index] += value
        compressed.used |= used
    stats.files, stats.original_bytes, stats.br_bytes, stats.written = counts[0], counts[1], counts[2], counts[3]
    stats.removed += counts[4]
    if prune:
        compressed.prune()
    return stats


def _place_cached_copies(paths: list[str], compressed: CompressedCache, copies: dict[str, int | None], editor: tuple[str, ...], counts: list[int], device: int) -> list[str]:
    """The files of `paths` that need compressing or checking (by _precompress_slice); the
    others are done here: each copy either is already a hard link to the cache entry of
    the file's bytes, or is missing and that entry exists (linked in). After one edit at
    10,000 entries about 600 such files (the search bundle's chunks, /admin/'s scripts,
    theme assets, written anew by the host) are mostly unchanged, and a forked pool read
    each, hashed it and linked its copies (half a second with the fork); here it is a read,
    a hash and a few system calls each. A copy there that is not the entry's link (someone
    else's, or stale) goes the slow way, which checks it."""
    left = []
    for path in paths:
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError:
            left.append(path)
            continue
        if len(data) < MIN_BYTES:
            left.append(path)
            continue
        digest = hashlib.sha256(data).hexdigest()
        levels = choose_levels(path, len(data), editor)
        found = []
        for encoding in ENCODINGS:
            target = f"{path}.{encoding}"
            if target in copies:
                size = compressed.linked_entry_size(digest, encoding, levels[encoding], target, copies[target], device)
                found.append(None if size is None else (size, None))
            else:
                found.append(compressed.entry_to_place(digest, encoding, levels[encoding]))
            if found[-1] is None:
                break
        if len(found) < len(ENCODINGS) or None in found or not all(_link_new(blob, f"{path}.{encoding}") for encoding, (size, blob) in zip(ENCODINGS, found) if size and blob):
            left.append(path)
            continue
        sizes = dict(zip(ENCODINGS, (size for size, _ in found)))
        _add_counts(counts, (len(data), sizes["br"] or len(data), sum(1 for size in sizes.values() if size), 0))
    return left


def _link_new(blob: str, target: str) -> bool:
    """Link a cache entry in as `target` where nothing is (a file the listing did not know
    of, such as mkdocs' own sitemap.xml.gz, is left for the slow way to check)."""
    try:
        os.link(blob, target)
    except FileExistsError:
        return False
    except OSError:  # the cache on another file system
        if os.path.lexists(target):
            return False
        shutil.copyfile(blob, target)
    return True


def _add_counts(counts: list[int], result: tuple[int, int, int, int]) -> None:
    original, br_size, written, removed = result
    counts[0] += 1
    counts[1] += original
    counts[2] += br_size
    counts[3] += written
    counts[4] += removed


def _precompress_slice(job: tuple, threads: int = 1) -> tuple[tuple[int, ...], set[str]]:
    """Precompress `files` (in one process, reading each); (files, original, br, written,
    removed), used cache names."""
    files, folder, copies, editor = job
    compressed = CompressedCache(folder)
    counts = [0, 0, 0, 0, 0]
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for result in pool.map(lambda path: precompress_file(Path(path), compressed, copies, editor), files):
            _add_counts(counts, result)
    return tuple(counts), compressed.used
