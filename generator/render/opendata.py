"""The data page (`du-lieu/`) and the open-data files published with the site.

The files themselves come from generator/export (data files, feeds, CSL-JSON); this
module only decides what the site publishes and explains it to a reader in Vietnamese.
"""

from __future__ import annotations

from functools import partial

from .core import Renderer
from .spec import SECTION, FileSpec, PageSpec
from .urls import DATA_PAGE, STATS, csl_path, feed_path

DEFAULT_LICENCE = "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"


def collect_open_data(site, options, memo=None) -> list[FileSpec]:
    """Data files, the Atom feeds (only with site_url) and one CSL-JSON file per entry.

    A function of the derived site and the render options only (no page shows their
    bytes), so a build can make them in another process while pages are written. `memo`:
    the entries' pieces of the last build (export/memo.py; its context names the
    places, options.base_url and options.site_name)."""
    # imported here: generator.export builds on render's URL table, so a module-level import
    # would make `import generator.export` and `import generator.render` depend on each other
    from ..export.cite import csl_json
    from ..export.feeds import collect_feeds
    from ..export.files import collect_data_files

    base = options.base_url
    files = collect_data_files(site, base, memo=memo)
    files += collect_feeds(site, base, options.site_name)
    for entry in site.entries.values():
        make = partial(csl_json, entry, site, options.site_name, base)
        files.append(FileSpec(csl_path(entry), memo.get(entry, "csl", make) if memo is not None else make()))
    return files


def render_data_page(r: Renderer) -> PageSpec:
    from ..export.files import DATA_DIR, DATA_FILES

    files = [(f"{DATA_DIR}/{name}", name, what, fmt) for name, what, fmt in DATA_FILES]
    return r.make_page(
        f"{DATA_PAGE}/",
        "data.md.j2",
        "Dữ liệu mở",
        "Tải toàn bộ mô hình, điển hình, sự kiện, khen thưởng và đơn vị hành chính dưới dạng JSON và CSV.",
        role=SECTION,
        meta={"hide": ["navigation", "toc"]},
        crumbs=[("Trang chủ", ""), ("Dữ liệu mở", None)],
        files=files,
        licence=r.options.licence or DEFAULT_LICENCE,
        feeds=bool(r.options.site_url),
        feed=feed_path(),
        stats=f"{STATS}/",
        site_name=r.options.site_name,
    )
