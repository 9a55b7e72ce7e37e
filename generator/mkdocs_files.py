"""The mkdocs side of the plugin's file handling: which generated file replaces which, the
nav's sources, and the key of what every page of a build shares.

Kept apart from the event handlers (generator/mkdocs_plugin.py) so the plugin stays the
thin translation between mkdocs' events and the core.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import types
from pathlib import Path

from typing import NamedTuple

from mkdocs.structure.files import File, Files

from .build import cache_root, code_version, hash_parts, hash_tree
from .build.fingerprint import file_digest, package_versions
from .build.settings import hook_sources, stable_json, watched_files
from .servepreview import render_error_markdown

log = logging.getLogger("mkdocs.plugins.dvk")


def add_error_page(files: Files, config, problems) -> Files:
    """A home page for a preview whose first build has errors (the banner lists them)."""
    replace_file(files, File.generated(config, "index.md", content=render_error_markdown(problems)))
    return files


def shown_path(path: Path, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def nav_uris(config) -> set[str]:
    """Source URIs named in the nav (sections); everything else stays out of it."""
    return {path for path, _ in walk_nav(config.nav)}


def walk_nav(items):
    """(path, titled) of every page the nav names: `titled` False for a bare path, whose
    title mkdocs takes from the page itself."""
    for item in items if isinstance(items, list) else [items] if items else []:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    yield from walk_nav(value)
                elif isinstance(value, str):
                    yield value, True
        elif isinstance(item, str):
            yield item, False


# mkdocs settings no page shows: where the output goes, the preview server, how strict a
# build is, deploy targets, serve's extra watched folders. Every other setting is in the
# key, so a setting this list does not know (a newer mkdocs, a key a theme reads) makes
# pages render again rather than be reused stale. theme, plugins and hooks are keyed apart.
NOT_PAGE_INPUTS = frozenset({"config_file_path", "site_dir", "dev_addr", "strict", "validation", "remote_branch", "remote_name", "watch", "theme", "plugins", "hooks"})


def context_key(config, plugin_config) -> str:
    """What every page of this build shares, as far as on_config knows it: dvk's code, the
    host packages, mkdocs.yml as loaded (after the on_config of the plugins before dvk),
    the code of every plugin and hook (plugin_code), the theme override folder and the nav
    (mkdocs.yml's, or dvk's sections). finish_context_key adds what on_files learns."""
    custom = config.theme.custom_dir
    settings = {key: config[key] for key in config if key not in NOT_PAGE_INPUTS}
    # where the project sits is not an input: the docs folder relative to mkdocs.yml
    settings["docs_dir"] = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or ".") or ".")
    settings["theme"] = dict(config.theme.items())
    settings["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items() if hasattr(plugin, "config")}
    base = Path(config.config_file_path or ".").resolve().parent
    settings["plugin_code"] = {name: plugin_code(plugin, base) for name, plugin in config.plugins.items()}
    settings["watch"] = watched_digests(config, plugin_config, base)
    return hash_parts(code_version(), stable_json(settings), hash_tree(Path(custom)) if custom else "")


def watched_digests(config, plugin_config, base: Path) -> dict[str, str]:
    """The files of mkdocs.yml `watch:` paths by their digest, named relative to mkdocs.yml
    (settings.watched_files says which). A project watches a folder when what is in it
    shapes pages (snippets, a macros plugin's data): a preview rebuilt on a change there
    but reused every page. A path holding the project's own folders is not keyed: said.
    `base`: the folder of mkdocs.yml, resolved."""
    content = getattr(plugin_config, "content_dir", None) if plugin_config is not None else None
    inputs = [folder for folder in (config.docs_dir, config.theme.custom_dir, base / content if content else None) if folder]
    outputs = [config.site_dir, cache_root(base)]
    digests = {}
    for watched in config.watch:
        files = watched_files(Path(watched), inputs, outputs)
        if files is None:
            log.warning(f'mkdocs.yml: watch: "{os.path.relpath(watched, base)}" chứa cả thư mục của dự án (docs/, content/, site/…) nên không được tính là đầu vào khi dựng lại — ghi các thư mục con cần theo dõi, ví dụ snippets')
            continue
        for path in files:
            digest = file_digest(path)
            if digest:  # gone or unreadable meanwhile: not an input
                digests[os.path.relpath(path, base)] = digest
    return digests


def plugin_code(plugin, root: Path | None = None) -> str:
    """What a plugin's or hook's output depends on besides its options: the digest of the
    file that defines it or is the hook (mkdocs.yml `hooks:`, a module in config.plugins),
    and for another package's plugin that package's version too (an upgrade may change
    only its other modules). A hook that rewrote pages (on_post_page) reached only the 10
    pages an edit re-rendered, and a change to it none. dvk's own code is code_version's.

    Digested once per loaded module: mkdocs loads a hook once per process, so a preview
    rebuild after the file changed still runs the old code, and its pages must not be
    kept under the new file's digest."""
    module = plugin if isinstance(plugin, types.ModuleType) else sys.modules.get(type(plugin).__module__)
    if module is None or getattr(module, "__name__", "").startswith("generator."):
        return ""
    key = (id(module), root)
    known = _LOADED_CODE.get(key)
    if known is None or known[0] is not module:
        known = _LOADED_CODE[key] = (module, _digest_module(module, packaged=module is not plugin, root=root))
    return known[1]


_LOADED_CODE: dict[tuple, tuple[object, str]] = {}  # (id(module), root) -> (module, plugin_code)


def _digest_module(module, packaged: bool, root: Path | None) -> str:
    """The module file's digest; with `packaged` (a plugin class) the versions of the
    distributions that provide its top-level package too; for a hook file, what it runs
    and reads from its folder as well (settings.hook_sources; `root`: the project)."""
    path = getattr(module, "__file__", None)
    if not path:
        return ""
    if not packaged:  # named from the hook's folder, not by path: a moved project re-renders nothing
        folder = Path(path).resolve().parent
        return hash_parts(*(f"{source.relative_to(folder).as_posix()}:{file_digest(source)}" for source in hook_sources(Path(path), root or folder)))
    digest = file_digest(Path(path))
    top = module.__name__.split(".", 1)[0]
    return hash_parts(digest, *package_versions(sorted(_distributions().get(top, ()))))


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    """Top-level module name -> the installed distributions that provide it (read once)."""
    from importlib import metadata

    return metadata.packages_distributions()


def finish_context_key(base: str, config, build_date) -> str:
    """The context key once on_files has set what pages show of the whole content: `base`
    (context_key, from on_config) with config.extra as it is now (the footer's content-dated
    "Cập nhật lần cuối" is set there), the build date (pages' update_date: no template
    shows it today, the sitemap does; kept so a theme that shows it stays right), and the bytes of
    each docs/ page the nav names without a title (mkdocs shows that page's own title in
    the navigation of every page). Without them a newer event left 1,075 reused pages of a
    600-entry site with the old date, and a retitled page the old name in their menus."""
    extra = stable_json(dict(config.extra))
    parts = [base, extra, build_date.isoformat() if build_date else ""]
    for uri in sorted(untitled_nav_sources(config)):
        parts.append(f"{uri}:{file_digest(Path(config.docs_dir) / uri) or '-'}")  # "-": a page dvk generates, or none
    return hash_parts(*parts)


def untitled_nav_sources(config) -> set[str]:
    """Source URIs the nav names as a bare path (no title of its own), URLs left out."""
    return {path for path, titled in walk_nav(config.nav) if not titled and "://" not in path}


def drop_file(files: Files, src_uri: str) -> None:
    """Remove a same-named docs/ page that a cached generated page replaces."""
    existing = _find_file(files, src_uri)
    if existing is not None:
        files.remove(existing)


def replace_file(files: Files, file: File) -> None:
    """Add a generated file; a generated page wins over a same-named docs/ file."""
    existing = _find_file(files, file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


_ODD_SEGMENT = re.compile(r"(^|/)\.?(/|$)")  # an empty or "." segment: PurePath would drop it


def _find_file(files: Files, src_uri: str) -> File | None:
    """files.get_file_from_path for a generated URI, which is POSIX and normalised already:
    one dict lookup (mkdocs' own makes a PurePath per call, 1.3 of a `dvk serve` rebuild's
    sampled seconds at 10,000 entries, where every page and citation file goes through here)."""
    uris = getattr(files, "src_uris", None)
    if isinstance(uris, dict) and "\\" not in src_uri and not _ODD_SEGMENT.search(src_uri):
        return uris.get(src_uri)
    return files.get_file_from_path(src_uri)


class PlacedPage(NamedTuple):
    """What the build needs of a page placed from the output cache: where it goes and its
    URL. mkdocs' File.generated with its cached url and dest_uri took 0.6 s for the
    11,700 pages of a one-edit rebuild at 10,000 entries, none of it needed."""

    src_uri: str
    dest_uri: str
    url: str


_PLAIN_URI = re.compile(r"[a-z0-9_.-]+(/[a-z0-9_.-]+)*\.md")  # generated slugs: nothing to quote


def placed_page(config, src_uri: str, **file_options) -> PlacedPage | File:
    """A PlacedPage for a generated Markdown page, with mkdocs' own rules (File._get_dest_path,
    _get_url) for the plain URIs dvk generates; anything else gets mkdocs' File."""
    if not _PLAIN_URI.fullmatch(src_uri):
        return File.generated(config, src_uri, content="", **file_options)
    parent, filename = src_uri.rpartition("/")[::2] if "/" in src_uri else ("", src_uri)
    stem = filename[:-3]  # (README.md, which mkdocs names index, is not a plain URI)
    prefix = f"{parent}/" if parent else ""
    if not config.use_directory_urls or stem == "index":
        dest = f"{prefix}{stem}.html"
    else:
        dest = f"{prefix}{stem}/index.html"
    url = dest
    if config.use_directory_urls and dest.rpartition("/")[2] == "index.html":
        url = (dest.rpartition("/")[0] or ".") + "/"
    return PlacedPage(src_uri, dest, url)
