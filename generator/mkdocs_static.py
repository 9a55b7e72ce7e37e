"""The theme's and dvk's static files (scripts, styles, fonts, Decap CMS), placed from the
output cache instead of copied by mkdocs.

mkdocs copies every static file on every build: 160 files, 9.7 MB at the bench site
(material's scripts, Decap CMS at /admin/), and writes the ones generated in memory (334
of dvk's data files). After one edit that was two tenths of a second of writing, then the kept tree (build/kept.py) replaced each copy in it, and precompress
read and hashed each again to find its .br/.gz copies. Here each file becomes a blob of
the output cache (build/cache.py), named for the source's stamp, and is placed like a
cached page: a hard link that the kept tree leaves where it is when it is still that
blob, with its compressed copies placed without reading it.

The stamp is the source's path and device and its file stamp (generator/stamps.py): an
edit in place changes the change time (which no tool can set back), a replaced file its
inode. A changed or new source is read and kept as a new blob.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from stat import S_ISREG

from mkdocs.structure.files import File, Files

from .build import hash_parts
from .build.cache import OutputCache
from .cores import forking_is_safe
from .compressed import MIN_BYTES, CompressedCache, choose_levels, is_text_asset
from .stamps import file_identity, stat_stamp

PREFIX = "static:"  # manifest names of static files, apart from pages' source URIs


def source_stamp(path: str, linked: bool = False) -> str | None:
    """The stamp of a static file's source; None when it cannot be read as a regular file.

    `linked`: a file never rewritten in place, which the site shares as a hard link
    (take_static_files' `immutable`): every new link to it sets its change time, so its
    stamp is its inode, size and modification time only (a replaced file is a new inode).
    With the change time in it, the first rebuild after a first build read and hashed
    every photo variant again (1.6 s at 1,000 photos)."""
    stat = _regular_stat(path)
    return None if stat is None else _stamp_of(path, stat, linked)


def _regular_stat(path: str) -> os.stat_result | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat if S_ISREG(stat.st_mode) else None


def _stamp_of(path: str, stat: os.stat_result, linked: bool) -> str:
    stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns) if linked else stat_stamp(stat)
    return hash_parts("static", os.path.abspath(path), repr(stamp), str(stat.st_dev))


def static_allowed(config, plugin) -> bool:
    """True when no other plugin acts after the build (post_build): placed files reach the
    site only at dvk's own end of the build, and one that rewrote them in place would
    write into the cache."""
    return all(getattr(method, "__self__", None) is plugin for method in config.plugins.events.get("post_build", []))


# mkdocs-material's own search (lunr, its language files and its worker), 1.5 MB and 45
# files: the theme starts the worker only from the search box its search plugin adds to
# the header, and dvk searches with its own index (generator/search/). Without that plugin
# they are never loaded, yet every build copied and compressed them and every upload
# carried them.
THEME_SEARCH_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")
THEME_SEARCH_PLUGINS = ("search", "material/search")


def drop_unused_theme_files(files: Files, config) -> int:
    """Leave the theme's search files out of the site when its search plugin is off;
    returns how many were left out."""
    if any(name in config.plugins for name in THEME_SEARCH_PLUGINS):
        return 0
    theme_dirs = tuple(os.path.join(os.path.abspath(folder), "") for folder in config.theme.dirs)
    dropped = 0
    for file in list(files):
        if file.src_uri.startswith(THEME_SEARCH_FILES) and file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(theme_dirs):
            files.remove(file)
            dropped += 1
    return dropped


def reserved_paths(config, files: Files, pages) -> set[str]:
    """Site paths something else writes after mkdocs' static copy (pages, the theme's and
    the config's templates, the sitemaps): mkdocs lets those win over a static file of the
    same name; such a file is left to mkdocs, so the result never depends on the order."""
    reserved = {file.dest_uri for file in files.documentation_pages()} | {file.dest_uri for file in pages}
    reserved |= set(config.theme.static_templates) | set(config.extra_templates) | {"sitemap.xml", "sitemap.xml.gz"}
    return reserved


def take_static_files(files: Files, outputs: OutputCache, reserved: set[str] = frozenset(), folders: frozenset[str] = frozenset(), made: bool = True, immutable: tuple[str, ...] = ()) -> list[tuple[File, Path]]:
    """Take the static files mkdocs would copy or write out of `files`; (file, blob) of
    each, for the plugin to place with the cached pages. Left to mkdocs: a file at a
    `reserved` path (or one that is a template to render, extra_templates), one inside
    `folders` (made whole by a background run, mkdocs_background.py), one whose source
    cannot be read, and with `made` False the files generated in memory (a preview
    leaves its unchanged ones in place already, mkdocs_served.py). `immutable`: folders
    (ending in a separator) whose files are never rewritten in place, kept as hard links
    to them (OutputCache.write_blob's `link`): the image cache's variants."""
    taken = []
    for file in list(files):
        if file.is_documentation_page() or not file.inclusion.is_included():
            continue
        if file.dest_uri in reserved or file.src_uri in reserved or any(file.dest_uri.startswith(folder + "/") for folder in folders):
            continue
        content = getattr(file, "_content", None)
        if content is not None:  # generated in memory (dvk's data files): the blob of its bytes
            if not made:
                continue
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            digest = outputs.write_blob(data)
            blob = outputs.record(PREFIX + file.dest_uri, digest, digest)
        elif file.abs_src_path is not None:
            blob = _blob_for(file, outputs, os.path.abspath(file.abs_src_path).startswith(immutable))
        else:
            continue
        if blob is None:
            continue
        files.remove(file)
        taken.append((file, blob))
    return taken


def _blob_for(file: File, outputs: OutputCache, linked: bool = False) -> Path | None:
    before = _regular_stat(file.abs_src_path)
    if before is None:
        return None
    key = _stamp_of(file.abs_src_path, before, linked)
    name = PREFIX + file.dest_uri
    blob = outputs.lookup(name, key)
    if blob is not None:
        return blob
    try:
        data = Path(file.abs_src_path).read_bytes()
    except OSError:
        return None
    if source_stamp(file.abs_src_path, linked) != key:  # changed while read: mkdocs copies it
        return None
    digest = outputs.write_blob(data, link=(file.abs_src_path, file_identity(before)) if linked else None)
    return outputs.record(name, key, digest)


def warm_static_copies(placed: list[tuple[File, Path]], folder: Path | None, editor_dirs: tuple[str, ...] = ()):
    """Start making, in a forked process, the compressed cache entries that the placed
    static files lack (a first build: material's scripts and styles at brotli 11), while
    the pages are written; the process, or None when every entry is there.

    Without it they were compressed after the pages, on one core with the other idle: half
    a second at the end of a cold build at 10,000 entries. precompress places them as
    before (the caller waits for the process first; one that failed leaves them to it).
    The levels are those precompress chooses for the file's place in the site."""
    if folder is None or not forking_is_safe():
        return None
    todo = missing_static_entries(placed, folder, editor_dirs)
    if not todo:
        return None
    # not a daemon (terminated at exit): the build joins it, also when it fails (_join_warming)
    process = multiprocessing.get_context("fork").Process(target=_warm_entries, args=(folder, todo))
    process.start()
    return process


def missing_static_entries(placed: list[tuple[File, Path]], folder: Path, editor_dirs: tuple[str, ...] = ()) -> list[tuple[str, dict[str, int]]]:
    """(blob, {encoding: level}) of the placed static files whose compressed entries are
    not all in the cache at `folder`."""
    cache = CompressedCache(folder)
    editor = tuple(os.path.join(name, "") for name in editor_dirs)
    todo = []
    for file, blob in placed:
        if not is_text_asset(file.dest_uri):
            continue
        try:
            size = os.stat(blob).st_size
        except OSError:
            continue
        levels = choose_levels(file.dest_uri, size, editor)
        if size >= MIN_BYTES and cache.missing_levels(os.path.basename(blob), levels):
            todo.append((os.fspath(blob), levels))
    return todo


def _warm_entries(folder: Path, todo: list[tuple[str, dict[str, int]]]) -> None:
    from .build.background import die_with_parent

    die_with_parent()  # a build killed outright takes it along (entries are written atomically)
    make_entries(folder, todo)


def make_entries(folder: Path, todo: list[tuple[str, dict[str, int]]]) -> None:
    """The compressed entries of missing_static_entries' list."""
    cache = CompressedCache(folder)
    for blob, levels in todo:  # a blob is named by the SHA-256 of its bytes
        with open(blob, "rb") as stream:
            cache.warm_levels(stream.read(), os.path.basename(blob), levels)
