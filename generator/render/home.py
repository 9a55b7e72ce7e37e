"""The home page and the search page: the two doors into the showcase."""

from __future__ import annotations

from ..vocab import FIELDS
from .core import Renderer
from .search import SEARCH_BUNDLE, search_page_config
from .spec import SECTION, PageSpec
from .urls import AWARDS, DATA_PAGE, STATS, EVENTS, EXEMPLARS, FIELDS as FIELDS_ROOT, LEVELS, PLACES, SEARCH, YEARS, place_path, term_path, year_path

SITE_TITLE = "Dân vận khéo — Hà Nội"
NEWEST = 6
LATEST_EVENTS = 5
TOP_DISTRICTS = 10
RECENT_YEARS = 10


def render_home_page(r: Renderer) -> PageSpec:
    site = r.site
    link = r.linker.rel
    districts = sorted(site.districts(), key=lambda p: -_count_models(site.by_district[p.id]))[:TOP_DISTRICTS]
    kpis = [
        ("mô hình", len(site.by_kind["model"]), f"{FIELDS_ROOT}/"),
        ("điển hình", len(site.by_kind["exemplar"]), f"{EXEMPLARS}/"),
        ("sự kiện", len(site.events), f"{EVENTS}/"),
        ("khen thưởng", len(site.awards), f"{AWARDS}/"),
        ("quận, huyện", len(site.districts()), f"{PLACES}/"),
    ]
    charts = [
        ([(t.label, len(site.by_field[t]), link("", term_path(t))) for t in FIELDS], "Theo lĩnh vực"),
        ([(str(y), len(items), link("", year_path(y))) for y, items in list(site.by_year.items())[:RECENT_YEARS]], "Theo năm đăng ký"),
        ([(p.name, _count_models(site.by_district[p.id]), link("", place_path(p))) for p in districts], "Quận, huyện có nhiều mô hình nhất"),
    ]
    views = [
        ("Địa bàn", f"{PLACES}/", "quận, huyện, phường, xã"),
        ("Lĩnh vực", f"{FIELDS_ROOT}/", "kinh tế, văn hóa - xã hội, quốc phòng - an ninh, xây dựng hệ thống chính trị"),
        ("Cấp", f"{LEVELS}/", "cơ sở, quận/huyện, Thành phố"),
        ("Năm", f"{YEARS}/", "năm đăng ký"),
        ("Điển hình tiêu biểu", f"{EXEMPLARS}/", "cá nhân, tập thể"),
        ("Sự kiện", f"{EVENTS}/", "hội thi, biểu dương, sơ kết, tổng kết"),
        ("Khen thưởng", f"{AWARDS}/", "theo cấp và năm"),
        ("Thống kê", f"{STATS}/", "biểu đồ, bảng số liệu, tải CSV"),
        ("Dữ liệu mở", f"{DATA_PAGE}/", "JSON, CSV cho báo chí, nghiên cứu"),
        ("Tìm kiếm", f"{SEARCH}/", "gõ không dấu cũng được"),
    ]
    description = "Các mô hình, điển hình và sự kiện tiêu biểu của phong trào thi đua “Dân vận khéo” ở Hà Nội."
    return r.make_page("", "home.md.j2", SITE_TITLE, description, role=SECTION, meta={"hide": ["navigation", "toc"]}, kpis=kpis, charts=[c for c in charts if c[0]], newest=site.models[:NEWEST], events=site.events[:LATEST_EVENTS], views=views, search_path=f"{SEARCH}/", stats_path=f"{STATS}/", data_path=f"{DATA_PAGE}/")


def render_search_page(r: Renderer) -> PageSpec:
    """The search page: a form that works as a plain GET, enhanced by theme/assets/dvk/search.js."""
    config = search_page_config(r.linker.rel(f"{SEARCH}/", SEARCH_BUNDLE))
    return r.make_page(f"{SEARCH}/", "search.md.j2", "Tìm kiếm", "Tìm mô hình, điển hình, sự kiện “Dân vận khéo”, gõ có dấu hoặc không dấu.", role=SECTION, meta={"hide": ["navigation", "toc"], "dvk_search_page": True}, search_config=config)


def _count_models(entries) -> int:
    return sum(1 for e in entries if not e.is_event)
