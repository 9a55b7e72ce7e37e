"""The template environment and the helpers every page template receives.

Autoescape is on for every template: front-matter strings are text, so a title such as
`A <b>B</b>` appears literally. Templates produce Markdown with HTML blocks; blank lines
separate the blocks so Markdown leaves the HTML alone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from ..derive import Site, best_award
from ..model import Entry, Event, Model, Place
from ..text import fold, format_date, format_date_range, format_number
from ..vocab import Term
from . import urls
from .media import ImageSets, render_figure, render_thumb
from .safe import escape_markdown


@lru_cache(maxsize=1)
def make_environment() -> jinja2.Environment:
    """One shared environment (templates compile once per process, also across serve rebuilds)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=format_date,
        num=format_number,
        md=lambda text: Markup(escape_markdown(str(text))),
        date_range=format_date_range,
    )
    return env


@dataclass(frozen=True)
class Pager:
    """One page of a paginated listing."""

    number: int
    count: int
    base: str  # path of page 1

    @property
    def path(self) -> str:
        return urls.page_path(self.base, self.number)

    def path_of(self, number: int) -> str:
        return urls.page_path(self.base, number)


def paginate(items: list, per_page: int) -> list[tuple[Pager | None, list]]:
    """Split a listing into pages; a short listing stays one page without a pager."""
    if len(items) <= per_page:
        return [(None, items)]
    count = math.ceil(len(items) / per_page)
    return [(Pager(n + 1, count, ""), items[n * per_page : (n + 1) * per_page]) for n in range(count)]


class Links:
    """URL helpers bound to the page being rendered (links are relative to it)."""

    def __init__(self, linker: urls.Linker, here: str, site: Site, images: ImageSets | None = None):
        self.linker = linker
        self.here = here
        self.site = site
        self.images = images or {}
        self.pictures = 0  # pictures emitted so far on this page: the first loads eagerly

    def _lazy(self) -> bool:
        self.pictures += 1
        return self.pictures > 1

    def figure(self, image, cls: str = "dvk-figure", gallery: str | None = None) -> Markup:
        """A lightbox figure with caption; lazy-loaded unless it is the page's first picture."""
        if self.images and image.abs_path is not None and _has(self.images, image):
            return render_figure(image, self.here, self.linker, self.images, css_class=cls, gallery=gallery, lazy=self._lazy())
        return render_figure(image, self.here, self.linker, self.images, css_class=cls, gallery=gallery)

    def thumb(self, image, gallery: str | None = None) -> Markup:
        """A gallery card's picture (lightbox link, no caption); empty when not prepared."""
        if image is None or not _has(self.images, image):
            return Markup("")
        return render_thumb(image, self.here, self.linker, self.images, gallery=gallery, lazy=self._lazy())

    def to(self, path: str) -> str:
        return self.linker.rel(self.here, path)

    def entry(self, entry: Entry) -> str:
        return self.to(urls.entry_path(entry))

    def place(self, place: Place) -> str:
        return self.to(urls.place_path(place))

    def term(self, term: Term) -> str:
        return self.to(urls.term_path(term))

    def year(self, year: int) -> str:
        return self.to(urls.year_path(year))

    def has_page(self, place: Place | None) -> bool:
        """Places get a page only when they have entries (no empty pages)."""
        if place is None:
            return False
        index = self.site.by_district if place.is_district else self.site.by_ward
        return place.id in index

    def asset(self, name: str) -> str:
        return self.to(f"{urls.ASSETS}/{name}")


def _has(images: ImageSets, image) -> bool:
    from .media import variant_set

    return variant_set(image, images) is not None


def kind_label(entry: Entry) -> str:
    """"Mô hình", "Điển hình" or the event type ("Hội thi")."""
    if isinstance(entry, Event):
        return entry.type.label if entry.type else entry.kind.label
    return entry.kind.label


def place_line(entry: Entry, site: Site) -> str:
    """"phường Nhật Tân, quận Tây Hồ" — the ward, then its district."""
    parts = []
    if entry.ward:
        parts.append(entry.ward.label)
    district = site.places.get(entry.district_id) if entry.district_id else None
    if district:
        parts.append(district.label)
    return ", ".join(parts)


def entry_when(entry: Entry) -> str:
    if isinstance(entry, Event):
        return format_date_range(entry.date, entry.end_date)
    return str(entry.year) if isinstance(entry, Model) else ""


def front_matter_values(title: str, description: str = "", **extra) -> dict:
    """A page's front matter, as the dict mkdocs reads back from it (page.meta). Values
    are HTML-escaped because mkdocs' own templates print page.meta without autoescape."""
    data = {"title": str(escape(title))}
    if description:
        data["description"] = str(escape(description))
    data.update(extra)
    return data


def front_matter_text(data: dict) -> str:
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def group_awards(records: list, by_year: bool = True) -> list[tuple[int | None, list[tuple[Term, list]]]]:
    """[(year, [(level, records)])], years newest first, levels Thành phố first, order kept.

    `by_year=False` gives one group with year None (a page that is already one year).
    """
    years: dict[int | None, dict[Term, list]] = {}
    for rec in records:
        years.setdefault(rec.award.year if by_year else None, {}).setdefault(rec.award.level, []).append(rec)
    ordered = sorted(years.items(), key=lambda kv: -(kv[0] or 0))
    return [(year, sorted(levels.items(), key=lambda kv: -kv[0].rank)) for year, levels in ordered]


def award_line(award) -> str:
    """"Giải Nhì · Giấy khen của Quận ủy (2024)"; the rank is not repeated when the title names it."""
    title = award.title
    if award.rank and not fold(title).startswith(fold(award.rank.label)):
        title = f"{award.rank.label} · {title}"
    return f"{title} ({award.year})"


def award_district(record, site: Site) -> Place | None:
    """The (pre-2025) district of an award's recipient, else its new ward."""
    entry = record.entry
    district = site.places.get(entry.district_id) if entry.district_id else None
    return district or entry.ward


def filter_options(records: list, site: Site) -> tuple[list[Term], list[Place]]:
    """Levels and districts present among `records`, for the gallery filter."""
    levels = sorted({rec.award.level for rec in records}, key=lambda t: -t.rank)
    places = {p.id: p for p in (award_district(rec, site) for rec in records) if p}
    from ..text import vn_sort_key

    return levels, sorted(places.values(), key=lambda p: vn_sort_key(p.name))


def template_globals(site: Site) -> dict:
    return {
        "site": site,
        "kind_label": kind_label,
        "best_award": best_award,
        "award_line": award_line,
        "place_line": lambda e: place_line(e, site),
        "entry_when": entry_when,
        "is_event": lambda e: isinstance(e, Event),
        "group_awards": group_awards,
        "award_place": lambda rec: award_district(rec, site),
        "filter_options": lambda records: filter_options(records, site),
        "figure": lambda image, u, cls="dvk-figure", gallery=None: u.figure(image, cls, gallery),
    }
