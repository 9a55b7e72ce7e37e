"""Render stage: a derived `Site` -> page and asset specifications.

Pure: no mkdocs import and no file I/O, so it is tested without building a site and the
same output could feed another static-site engine. The mkdocs plugin is the only writer.
"""

from __future__ import annotations

from ..derive import Site
from .core import RenderOptions, Renderer
from .entries import RenderProblems, generate_entry_pages
from .groups import listing_groups
from .listings import recall_or_render_listings
from .media import ImageSets, collect_image_assets
from .opendata import collect_open_data
from .spec import ENTRY, LISTING, SECTION, AssetSpec, PageSpec, RenderResult

# Navigation: sections only (never one item per entry), in reading order.
NAV = (
    ("Trang chủ", ""),
    ("Địa bàn", "dia-ban/"),
    ("Lĩnh vực", "linh-vuc/"),
    ("Cấp", "cap/"),
    ("Năm", "nam/"),
    ("Điển hình", "dien-hinh-tieu-bieu/"),
    ("Sự kiện", "su-kien-theo-thoi-gian/"),
    ("Khen thưởng", "khen-thuong/"),
    ("Thống kê", "thong-ke/"),
    ("Tìm kiếm", "tim-kiem/"),
)


def render_site(site: Site, options: RenderOptions | None = None, images: ImageSets | None = None, reuse=None, salt: str = "", defer=(), open_data: bool = True, data_memo=None, listings_memo=None) -> RenderResult:
    """Every page of the showcase plus the files it needs copied.

    `images` maps each referenced image's source path to its prepared VariantSet (see
    generator.imaging); without it pages show captions but no pictures. `reuse` and
    `salt` let a build skip pages it already has (see Renderer and projection.py); pages
    of the roles in `defer` come back unrendered, with `PageSpec.deferred` to render them.
    Without `open_data` the data files are left to the caller (`collect_open_data`);
    `data_memo`: the entries' open-data pieces of an earlier run (export/memo.py);
    `listings_memo`: the non-entry pages of an earlier run (listings.py), used with `reuse`.
    """
    images = images or {}
    r = Renderer(site, options or RenderOptions(), images, reuse, salt, defer)
    listings = recall_or_render_listings(r, listings_memo, listing_groups(r))
    pages = [*listings.before, *generate_entry_pages(r), *listings.after]
    files = list(listings.files)
    if open_data:
        files += collect_open_data(site, r.options, data_memo)
    nav = [(title, r.linker.uri(path)) for title, path in NAV if options is None or options.search or path != "tim-kiem/"]
    return RenderResult(pages=pages, assets=collect_image_assets(images), files=files, nav=nav)


__all__ = ["render_site", "RenderOptions", "RenderProblems", "RenderResult", "PageSpec", "AssetSpec", "SECTION", "LISTING", "ENTRY"]
