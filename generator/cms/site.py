"""The admin page at /admin/: Decap CMS's bundle copied from the local npm cache (no CDN),
`config.yml` derived from the schema, and a page in Vietnamese that loads them.

scripts/setup.sh unpacks the pinned `decap-cms` package into .cache/node/decap-cms/ (its
dist/ is one self-contained webpack bundle plus lazily loaded chunks, so none of its ~1,500
build dependencies are needed). When the bundle is missing the site still builds: /admin/
then says how to install it. Nothing here imports mkdocs; the plugin wraps these files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..places import PlaceRegistry
from .. import schema as S
from .config import CmsOptions, build_config, render_config, split_by_district

ADMIN_DIR = "admin"
BUNDLE_NAME = "decap-cms.js"
NO_RELOAD_MARK = b"<!-- dvk-admin: no-livereload -->"  # a comment: no unregistered <meta> name for validators
SETUP_COMMAND = "bash scripts/setup.sh"
PAGE_TITLE = "Soạn nội dung — Dân vận khéo"


@dataclass(frozen=True)
class AdminFile:
    """One file of /admin/: text content, or a file on disk to copy."""

    uri: str
    content: str | None = None
    source: Path | None = None


def node_dirs(root: Path) -> list[Path]:
    """Where setup.sh puts npm packages: $DVK_NODE_DIR alone when set, else the project's
    .cache/node, then the dvk checkout's own (so fixture sites and other projects reuse one
    install)."""
    if os.environ.get("DVK_NODE_DIR"):
        return [Path(os.environ["DVK_NODE_DIR"])]
    return [root / ".cache" / "node", Path(__file__).resolve().parents[2] / ".cache" / "node"]


def find_bundle(root: Path) -> Path | None:
    """The dist/ folder of Decap CMS, or None when setup.sh has not installed it."""
    for node_dir in node_dirs(root):
        dist = node_dir / "decap-cms" / "dist"
        if (dist / BUNDLE_NAME).is_file():
            return dist
    return None


def bundle_files(dist: Path) -> list[Path]:
    """The bundle, its chunks and wasm modules; source maps and the duplicate `cms.js` names left out."""
    return sorted(p for p in dist.iterdir() if p.is_file() and (p.name == BUNDLE_NAME or p.name.endswith("." + BUNDLE_NAME) or p.suffix == ".wasm"))


def bundle_version(dist: Path) -> str:
    import json

    try:
        return json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def render_admin_page(has_bundle: bool) -> str:
    """The admin page; without the bundle, the steps that install it."""
    head = (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"{NO_RELOAD_MARK.decode()}\n"
        f"<title>{escape(PAGE_TITLE)}</title>\n"
        "</head>\n"  # Decap reads config.yml next to the page by default
    )
    if has_bundle:
        return head + f'<body>\n<script src="{BUNDLE_NAME}"></script>\n</body>\n</html>\n'
    return head + (
        '<body style="font:16px/1.6 system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em">\n'
        "<h1>Chưa cài trình soạn nội dung</h1>\n"
        "<p>Trang soạn nội dung dùng Decap CMS, được sao chép từ máy dựng trang (không tải từ máy chủ khác). "
        "Trên máy dựng trang, chạy:</p>\n"
        f"<pre><code>{escape(SETUP_COMMAND)}\n.venv/bin/dvk build</code></pre>\n"
        '<p>rồi mở lại trang này. Cấu hình của trình soạn (sinh từ khai báo) vẫn có ở <a href="config.yml">config.yml</a>.</p>\n'
        "</body>\n</html>\n"
    )


def entry_folders(root: Path, options: CmsOptions) -> tuple[str, ...]:
    """Existing subfolders of the split collections (content/models/<folder>), media folders
    and hidden folders left out."""
    from .config import MEDIA_DIR

    found = set()
    for name in S.COLLECTIONS:
        base = root / options.content_dir / name
        if split_by_district(name) and base.is_dir():
            found |= {p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != MEDIA_DIR}
    return tuple(sorted(found))


def render_admin_config(root: Path, places: PlaceRegistry, options: CmsOptions) -> str:
    """config.yml for this project: the schema, its places and its entry folders."""
    return render_config(build_config(places, options, entry_folders(root, options)))


def make_admin_config_file(root: Path, places: PlaceRegistry, options: CmsOptions, cache: Path | None = None) -> AdminFile:
    """/admin/config.yml. Its YAML takes a second on any site (the city's places make it
    long) and changes only with the places, the options, the entry folders and dvk, so
    with a `cache` folder it is made once for those and read back after."""
    folders = entry_folders(root, options)
    if cache is None:
        return AdminFile(f"{ADMIN_DIR}/config.yml", content=render_config(build_config(places, options, folders)))
    from ..build.cache import write_atomic
    from ..build.fingerprint import code_version, hash_parts

    key = hash_parts(code_version(), repr(sorted(places.places.items())), repr(options), repr(folders))
    kept = Path(cache) / f"config-{key[:32]}.yml"
    try:
        text = kept.read_text(encoding="utf-8")
    except OSError:
        text = render_config(build_config(places, options, folders))
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob("config-*.yml"):  # one site's config at a time
            old.unlink(missing_ok=True)
        write_atomic(kept, text.encode("utf-8"))
    return AdminFile(f"{ADMIN_DIR}/config.yml", content=text)


def build_admin_files(root: Path, places: PlaceRegistry, options: CmsOptions, with_config: bool = True, cache: Path | None = None) -> tuple[list[AdminFile], str | None]:
    """Every file of /admin/ (config.yml left out without `with_config`: the build makes
    it in another process), and a log line when the bundle is missing (else None)."""
    dist = find_bundle(root)
    files = [AdminFile(f"{ADMIN_DIR}/index.html", content=render_admin_page(dist is not None))]
    if with_config:
        files.append(make_admin_config_file(root, places, options, cache))
    if dist is None:
        return files, f"dvk: chưa có Decap CMS trong .cache/node — /admin/ chỉ hướng dẫn cài; chạy {SETUP_COMMAND} để có trang soạn nội dung"
    files += [AdminFile(f"{ADMIN_DIR}/{p.name}", source=p) for p in bundle_files(dist)]
    return files, None


def keep_admin_from_reloading(server) -> None:
    """mkdocs serve reloads every HTML page after a rebuild; the admin page must not reload
    (every save from the editor rebuilds the site and would wipe the open form). The live
    reload script is injected by a method of mkdocs' LiveReloadServer, wrapped here."""
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is None or getattr(inject, "dvk_wrapped", False):
        return

    def inject_except_admin(content: bytes, epoch: int) -> bytes:
        return content if NO_RELOAD_MARK in content else inject(content, epoch)

    inject_except_admin.dvk_wrapped = True
    server._inject_js_into_html = inject_except_admin
