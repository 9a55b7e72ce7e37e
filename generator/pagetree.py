"""`dvk pages`: the plain-files sink. Every page of the showcase as Markdown, no host.

The render stage (generator/render/) is pure: it turns the derived site into PageSpecs,
FileSpecs and AssetSpecs and writes nothing. The mkdocs plugin is one sink for them; this
module is the other. It writes them into a folder as a `docs/` tree: one Markdown file per
page (YAML front matter, dvk's generated HTML blocks in place), the data files and image
variants beside them, and `nav.yml` with the sections in reading order. An engine that
reads Markdown with front matter publishes it without dvk's plugin: plain mkdocs-material
does (tests/site/test_pagetree.py), and so can a successor that reads mkdocs.yml and
docs/ once MkDocs 2.0 drops plugins and mkdocs-material reaches its end of life.

The folder is written beside the target and swapped in whole, so it always equals the
content: no page of a removed entry stays behind, and a failed run leaves the last one.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .build.cache import write_inside
from .hostconfig import dvk_plugin_options, load_mkdocs_yml

if TYPE_CHECKING:  # the renderer is imported where pages are made (dvk starts faster)
    from .render import RenderOptions, RenderResult

NAV_FILE = "nav.yml"
STAMP = ".dvk-pages"  # marks a folder this command wrote, so a later run may replace it


def register(subparsers, add_root) -> None:
    p = subparsers.add_parser(
        "pages",
        help="ghi mọi trang ra thư mục dạng Markdown (không cần mkdocs)",
        description="Ghi mọi trang của trang web (Markdown có front matter), tệp dữ liệu và ảnh đã xử lý vào một thư mục docs/ mà công cụ dựng trang nào đọc Markdown cũng dùng được, kèm nav.yml (các mục menu).",
    )
    add_root(p)
    p.add_argument("--output", default="build/pages", help="thư mục ghi ra (mặc định: build/pages)")
    p.set_defaults(handler=cmd_pages)


def cmd_pages(args) -> int:
    from .cli import load_site_or_report
    from .render import RenderProblems, render_site  # the renderer only when pages are made

    root = Path(args.root).resolve()
    site = load_site_or_report(root)
    if site is None:
        return 1
    options = read_render_options(root)
    prepared = prepare_images(root, site)
    if prepared is None:
        return 1
    target = (root / args.output).resolve()
    refusal = refuse_target(target, root)
    if refusal:
        print(f"--output {args.output}: {refusal}", file=sys.stderr)
        return 2
    try:
        result = render_site(site, options, prepared)
    except RenderProblems as failed:
        for problem in failed.problems:
            print(problem.format(), file=sys.stderr)
        print(f"Có {len(failed.problems)} mục không dựng được trang — hãy sửa (xem các dòng trên).", file=sys.stderr)
        return 1
    count = write_page_tree(result, target)
    print(f"Đã ghi {count} trang vào {os.path.relpath(target, Path.cwd())}/docs (menu: {NAV_FILE}).")
    return 0


def refuse_target(target: Path, root: Path) -> str:
    """Why `target` must not be replaced (empty when it may): it is swapped out whole, so only
    a missing or empty folder, or one an earlier `dvk pages` wrote (it has STAMP), is taken."""
    if target == root or root.is_relative_to(target):
        return "không được ghi đè lên thư mục dự án"
    if target.exists() and not target.is_dir():
        return "đã có một tệp trùng tên"
    if target.is_dir() and any(target.iterdir()) and not (target / STAMP).is_file():
        return f"thư mục đã có nội dung không do dvk pages ghi (thiếu {STAMP}) — chọn thư mục khác hoặc xoá nó trước"
    return ""


def read_render_options(root: Path) -> RenderOptions:
    """The choices of mkdocs.yml that change pages (site_url, site_name, the dvk plugin's)."""
    from .render import RenderOptions

    try:
        data = load_mkdocs_yml(root / "mkdocs.yml")
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    data = data if isinstance(data, dict) else {}
    return RenderOptions.from_settings(dvk_plugin_options(data), site_url=data.get("site_url") or "", site_name=data.get("site_name") or "", directory_urls=data.get("use_directory_urls"))


def prepare_images(root: Path, site) -> dict | None:
    """The images the pages show, as cached variants (the build's pipeline and cache)."""
    from .build import cache_root
    from .imaging import ImagePipeline, ImagePipelineError, referenced_images

    try:
        return ImagePipeline(cache_root(root) / "dvk-images", project=root).prepare(referenced_images(site.entries.values()))
    except ImagePipelineError as error:
        for path, reason in sorted(error.failures.items()):
            print(f"{os.path.relpath(path, root)}: {reason}", file=sys.stderr)
        print(f"Có {len(error.failures)} ảnh không xử lý được — hãy sửa hoặc thay ảnh (dvk validate).", file=sys.stderr)
        return None


def write_page_tree(result: RenderResult, target: Path) -> int:
    """Write `result` as target/docs/… and target/nav.yml, swapped in whole; pages written."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{target.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        _write_tree(result, fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)  # a failed run leaves the last tree, nothing half-written
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return len(result.pages)


def _write_tree(result: RenderResult, fresh: Path) -> None:
    docs = fresh / "docs"
    for page in result.pages:
        write_inside(docs, page.uri, page.markdown.encode("utf-8"))
    for made in result.files:
        write_inside(docs, made.path, made.data)
    for asset in result.assets:
        write_inside(docs, asset.path, Path(asset.source).read_bytes())
    nav = [{title: uri} for title, uri in result.nav]
    (fresh / NAV_FILE).write_text(yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (fresh / STAMP).write_text("Thư mục do `dvk pages` ghi; lần chạy sau thay cả thư mục.\n", encoding="utf-8")
