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

from ..derive import Site
from ..model import Entry, Event, Model, Place
from ..text import fold, format_date, format_date_range, format_number, normalize_tone_placement
from ..vocab import Term
from . import urls
from .media import render_figure
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
        fold=lambda text: fold(normalize_tone_placement(str(text))),
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

    def __init__(self, linker: urls.Linker, here: str, site: Site):
        self.linker = linker
        self.here = here
        self.site = site

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


def front_matter(title: str, description: str = "", **extra) -> str:
    """YAML front matter (JSON-quoted). Values are HTML-escaped because mkdocs'
    own templates print page.meta without autoescape."""
    data = {"title": str(escape(title))}
    if description:
        data["description"] = str(escape(description))
    data.update(extra)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def template_globals(site: Site) -> dict:
    return {
        "site": site,
        "kind_label": kind_label,
        "place_line": lambda e: place_line(e, site),
        "entry_when": entry_when,
        "is_event": lambda e: isinstance(e, Event),
        "figure": lambda image, u, cls="dvk-figure": render_figure(image, u.here, u.linker, cls),
    }
