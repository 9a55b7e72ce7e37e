"""The statistics pages (`thong-ke/`): the counts committees report, as charts and tables.

One page for the whole showcase, one per year and one per district (the filters a reader
expects: "in 2024", "in Tây Hồ"). Each statistic is drawn as an inline SVG chart with its
data table beside it and a CSV file of the same numbers; `dvk stats` prints the same
`Table`s from the same code (generator/stats.py).
"""

from __future__ import annotations

from ..stats import Scope, Table, collect_tables
from .charts import render_chart
from .core import Renderer
from .spec import SECTION, FileSpec, PageSpec
from .urls import stats_csv_path, stats_path
from ..export.tables import table_csv


def stats_scopes(r: Renderer) -> list[tuple[Scope, str]]:
    """(scope, page path): the whole showcase, each year, each district."""
    site = r.site
    scopes = [(Scope(), stats_path())]
    scopes += [(Scope(year=year), stats_path(year=year)) for year in site.years()]
    scopes += [(Scope(district=place.id), stats_path(district=place)) for place in site.districts()]
    return scopes


def render_stats_scope(r: Renderer, scope: Scope, path: str, kept: tuple[list, list]) -> tuple[list[PageSpec], list[FileSpec]]:
    """One scope's page and CSV files; `kept`: its models and events (split_by_scope)."""
    tables = collect_tables(r.site, scope, kept)
    csvs = [(table, stats_csv_path(path, table.id)) for table in tables]
    return [render_stats_page(r, scope, path, csvs)], [FileSpec(csv_path, table_csv(table)) for table, csv_path in csvs]


def render_stats_page(r: Renderer, scope: Scope, path: str, csvs: list[tuple[Table, str]]) -> PageSpec:
    site = r.site
    place = site.places.get(scope.district) if scope.district else None
    if scope.year is not None:
        title, heading = f"Thống kê năm {scope.year}", f"năm {scope.year}"
    elif place is not None:
        title, heading = f"Thống kê {place.title}", place.label
    else:
        title, heading = "Thống kê", ""
    description = f"Số mô hình, điển hình, khen thưởng và sự kiện “Dân vận khéo”{' ' + heading if heading else ''} theo địa bàn, lĩnh vực, cấp, năm."
    crumbs = [("Trang chủ", ""), ("Thống kê", stats_path() if path != stats_path() else None)]
    if path != stats_path():
        crumbs.append((title, None))
    charts = [(table, render_chart(table, f"bieu-do-{table.id}"), csv) for table, csv in csvs]
    return r.make_page(
        path,
        "stats.md.j2",
        title,
        description,
        role=SECTION if path == stats_path() else "listing",
        meta={"hide": ["navigation", "toc"]},
        crumbs=crumbs,
        charts=charts,
        years=[(str(y), stats_path(year=y)) for y in site.years()],
        districts=[(p.name, stats_path(district=p)) for p in site.districts()],
        current=path,
        all_path=stats_path(),
    )
