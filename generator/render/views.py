"""Views across the whole site: by field, level and year; exemplars; events; awards.

These are Hugo-style taxonomy pages: an overview with counts, then one listing per term.
Listings are paginated (`RenderOptions.per_page`) so no page grows with the corpus.
"""

from __future__ import annotations

from ..vocab import LEVELS, Vocabulary
from .core import Renderer
from .spec import SECTION, PageSpec
from .urls import AWARDS, EVENTS, EXEMPLARS, YEARS, awards_year_path, events_year_path, term_path, year_path

YEAR_EVENTS_PREVIEW = 12
LATEST_AWARDS = 30
GALLERY = {"dvk_gallery": True}  # the awards pages' lightbox


def render_term_overview(r: Renderer, vocab: Vocabulary, root: str, title: str, index: dict, intro: str) -> PageSpec:
    base = f"{root}/"
    preview = r.options.preview
    groups = [(t.label, index[t][:preview], len(index[t]), term_path(t) if len(index[t]) > preview else "") for t in vocab]
    rows = [(t.label, len(index[t]), r.linker.rel(base, term_path(t))) for t in vocab]
    return r.make_page(base, "overview.md.j2", title, intro, role=SECTION, crumbs=[("Trang chủ", ""), (title, None)], intro=intro, charts=[(rows, "Số mô hình, điển hình")], groups=groups)


def render_term_listing(r: Renderer, vocab: Vocabulary, root: str, title: str, index: dict, term) -> list[PageSpec]:
    return r.make_paginated(term_path(term), "listing.md.j2", term.label, index[term], f"Mô hình, điển hình {vocab.label.lower()}: {term.label}.", crumbs=[("Trang chủ", ""), (title, f"{root}/"), (term.label, None)], intro="")


def render_years_overview(r: Renderer) -> PageSpec:
    base = f"{YEARS}/"
    rows = [(str(y), len(items), r.linker.rel(base, year_path(y))) for y, items in r.site.by_year.items()]
    intro = "Mô hình, điển hình theo năm đăng ký."
    return r.make_page(base, "overview.md.j2", "Theo năm", intro, role=SECTION, crumbs=[("Trang chủ", ""), ("Theo năm", None)], intro=intro, charts=[(rows, "Số mô hình, điển hình theo năm")], groups=[])


def render_year_listing(r: Renderer, year, items: list) -> list[PageSpec]:
    return r.make_paginated(year_path(year), "listing.md.j2", f"Năm {year}", items, f"Mô hình, điển hình đăng ký năm {year}.", crumbs=[("Trang chủ", ""), ("Theo năm", f"{YEARS}/"), (str(year), None)], intro="")


def render_exemplar_pages(r: Renderer) -> list[PageSpec]:
    intro = "Cá nhân, tập thể tiêu biểu trong phong trào thi đua “Dân vận khéo”."
    pages = r.make_paginated(f"{EXEMPLARS}/", "listing.md.j2", "Điển hình tiêu biểu", r.site.by_kind["exemplar"], intro, crumbs=[("Trang chủ", ""), ("Điển hình tiêu biểu", None)], intro=intro)
    return [_as_section(pages[0])] + pages[1:]


def render_event_pages(r: Renderer) -> list[PageSpec]:
    """A timeline grouped by year; years with many events get their own paginated page."""
    base = f"{EVENTS}/"
    by_year: dict[int, list] = {}
    for event in r.site.events:
        by_year.setdefault(event.year, []).append(event)
    intro = "Hội thi, hội nghị biểu dương, sơ kết, tổng kết và các sự kiện khác, mới nhất trước."
    groups = []
    pages: list[PageSpec] = []
    for year, events in by_year.items():
        more = events_year_path(year) if len(events) > YEAR_EVENTS_PREVIEW else ""
        groups.append((f"Năm {year}", events[:YEAR_EVENTS_PREVIEW], len(events), more))
        if more:
            pages += r.make_paginated(more, "events.md.j2", f"Sự kiện năm {year}", events, f"Sự kiện “Dân vận khéo” năm {year}.", crumbs=[("Trang chủ", ""), ("Sự kiện", base), (str(year), None)], intro="")
    rows = [(str(y), len(ev), "") for y, ev in by_year.items()]
    index = r.make_page(base, "overview.md.j2", "Sự kiện", intro, role=SECTION, crumbs=[("Trang chủ", ""), ("Sự kiện", None)], intro=intro, charts=[(rows, "Số sự kiện theo năm")] if rows else [], groups=groups)
    return [index] + pages


def render_award_pages(r: Renderer) -> list[PageSpec]:
    """The awards gallery: every award as a card (photo or not), newest year first.

    Page 1 carries the counts by level and year; the gallery is paginated like every
    listing, grouped by year then level on each page, with a level/district filter
    (JavaScript; without it every card shows). Each year has a gallery of its own
    (render_awards_year).
    """
    site = r.site
    base = f"{AWARDS}/"
    intro = "Bằng khen, giấy khen và giải thưởng của các mô hình, điển hình, theo năm, cấp khen thưởng và địa bàn."
    level_rows = [(t.label, len(site.awards_by_level.get(t, [])), "") for t in reversed(list(LEVELS))]
    year_rows = [(str(y), len(recs), r.linker.rel(base, awards_year_path(y))) for y, recs in sorted(site.awards_by_year.items(), reverse=True)]
    charts = [(level_rows, "Theo cấp khen thưởng"), (year_rows, "Theo năm")] if site.awards else []
    return r.make_paginated(base, "awards.md.j2", "Khen thưởng", site.awards, intro, role=SECTION, meta=GALLERY, crumbs=[("Trang chủ", ""), ("Khen thưởng", None)], intro=intro, charts=charts, by_year=True)


def render_awards_year(r: Renderer, year: int, records: list) -> list[PageSpec]:
    """One year's gallery, by level."""
    ordered = sorted(records, key=lambda rec: -rec.award.level.rank)
    return r.make_paginated(awards_year_path(year), "awards.md.j2", f"Khen thưởng năm {year}", ordered, f"Khen thưởng năm {year}, theo cấp.", meta=GALLERY, crumbs=[("Trang chủ", ""), ("Khen thưởng", f"{AWARDS}/"), (str(year), None)], intro="", charts=[], by_year=False)


def _as_section(page: PageSpec) -> PageSpec:
    from dataclasses import replace

    if page.deferred is not None:  # rendered later: as a section then too
        render = page.deferred
        return replace(page, role=SECTION, deferred=lambda: replace(render(), role=SECTION))
    return replace(page, role=SECTION)
