"""The book's structure, computed from a Selection before any HTML exists.

Chapters (district then field, or field then district), the events chronicle and the
index of units and places. Everything is in final reading order: places and units in
Vietnamese alphabetical order (vn_sort_key), so Đ follows D and Ư follows U.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Entry, Event, Model, Place
from ..places import PlaceRegistry
from ..text import fold, normalize_tone_placement, vn_sort_key
from ..vocab import FIELDS
from .select import Selection


@dataclass
class Photo:
    """A print-ready image: `path` is the resized copy, not the original."""

    path: str  # stable URL of the resized copy (generator.book.images.photo_url), never an absolute path
    caption: str
    credit: str
    width: int
    height: int

    @property
    def landscape(self) -> bool:
        return self.width >= self.height


@dataclass
class Section:
    """One model or exemplar, or one event of the chronicle."""

    entry: Entry
    anchor: str
    photos: list[Photo] = field(default_factory=list)
    story_html: str = ""


@dataclass
class Group:
    title: str
    anchor: str
    sections: list[Section]


@dataclass
class Chapter:
    number: int
    title: str
    anchor: str
    groups: list[Group]

    @property
    def sections(self) -> list[Section]:
        return [s for g in self.groups for s in g.sections]


@dataclass
class YearEvents:
    year: int
    anchor: str
    sections: list[Section]


@dataclass
class IndexItem:
    name: str
    qualifier: str
    anchors: list[str]


@dataclass
class IndexLetter:
    letter: str
    items: list[IndexItem]


@dataclass
class IndexPart:
    title: str
    anchor: str
    letters: list[IndexLetter]


@dataclass
class Book:
    chapters: list[Chapter]
    chronicle: list[YearEvents]
    index: list[IndexPart]
    # stable photo URL (Photo.path) -> resized copy on disk; the PDF fetcher resolves these
    image_files: dict[str, Path] = field(default_factory=dict)

    def sections(self) -> list[Section]:
        """Every section in reading order (models first, then events)."""
        out = [s for c in self.chapters for s in c.sections]
        return out + [s for y in self.chronicle for s in y.sections]

    @property
    def model_count(self) -> int:
        return sum(len(c.sections) for c in self.chapters)

    @property
    def event_count(self) -> int:
        return sum(len(y.sections) for y in self.chronicle)


def anchor_of(entry: Entry) -> str:
    return f"e-{entry.id}"


def lay_out(selection: Selection, places: PlaceRegistry, group: str) -> Book:
    """Group the selection into chapters, the chronicle and the index."""
    chapters = _chapters_by_district(selection.models, places) if group == "district" else _chapters_by_field(selection.models, places)
    chronicle = _chronicle(selection.events)
    book = Book(chapters, chronicle, [])
    order = {s.anchor: i for i, s in enumerate(book.sections())}
    book.index = [
        IndexPart("Đơn vị thực hiện, tổ chức", "idx-units", _letters(_unit_items(book.sections(), order))),
        IndexPart("Quận, huyện, phường, xã", "idx-places", _letters(_place_items(book.sections(), places, order))),
    ]
    return book


def home_of(entry: Entry, places: PlaceRegistry) -> Place | None:
    """The chapter place of an entry: its pre-2025 district, else its (new) ward."""
    if entry.district_id:
        return places.get(entry.district_id) or entry.district
    return entry.ward


def _place_key(place: Place | None):
    return (0, vn_sort_key(place.name), place.type) if place else (1, (), "")


def _group_by_home(models: list[Model], places: PlaceRegistry) -> list[tuple[str, Place | None, list[Model]]]:
    """(place id, place, models) per home unit, in Vietnamese order; models keep their order."""
    by_place: dict[str, list[Model]] = defaultdict(list)
    homes: dict[str, Place | None] = {}
    for model in models:
        home = home_of(model, places)
        key = home.id if home else ""
        homes[key] = home
        by_place[key].append(model)
    return [(key, homes[key], by_place[key]) for key in sorted(by_place, key=lambda k: _place_key(homes[k]))]


def _chapters_by_district(models: list[Model], places: PlaceRegistry) -> list[Chapter]:
    chapters = []
    for number, (key, home, place_models) in enumerate(_group_by_home(models, places), start=1):
        groups = []
        for term in FIELDS:
            items = [m for m in place_models if m.field == term]
            if items:
                groups.append(Group(term.label, f"g-{number}-{term.id}", [Section(m, anchor_of(m)) for m in items]))
        title = home.title if home else "Đơn vị khác"
        chapters.append(Chapter(number, title, f"c-{number}", groups))
    return chapters


def _chapters_by_field(models: list[Model], places: PlaceRegistry) -> list[Chapter]:
    chapters = []
    number = 0
    for term in FIELDS:
        items = [m for m in models if m.field == term]
        if not items:
            continue
        number += 1
        groups = []
        for key, home, place_models in _group_by_home(items, places):
            title = home.title if home else "Đơn vị khác"
            groups.append(Group(title, f"g-{number}-{key or 'khac'}", [Section(m, anchor_of(m)) for m in place_models]))
        chapters.append(Chapter(number, term.label, f"c-{number}", groups))
    return chapters


def _chronicle(events: list[Event]) -> list[YearEvents]:
    """Events oldest first (a chronicle reads forwards), grouped by year."""
    ordered = sorted(events, key=lambda e: (e.date, vn_sort_key(e.title)))
    years: dict[int, list[Section]] = {}
    for event in ordered:
        years.setdefault(event.year, []).append(Section(event, anchor_of(event)))
    return [YearEvents(year, f"y-{year}", sections) for year, sections in years.items()]


def index_key(name: str) -> str:
    """"Hoà"/"Hòa", NFD and case all fold together for merging index items."""
    return " ".join(fold(normalize_tone_placement(name)).split())


def _unit_items(sections: list[Section], order: dict[str, int]) -> list[IndexItem]:
    items: dict[str, IndexItem] = {}
    for section in sections:
        entry = section.entry
        name = entry.organizer if isinstance(entry, Event) else entry.unit
        name = " ".join(name.split())
        if not name:
            continue
        item = items.setdefault(index_key(name), IndexItem(name, "", []))
        if section.anchor not in item.anchors:
            item.anchors.append(section.anchor)
    return _sorted_items(items.values(), order)


def _place_items(sections: list[Section], places: PlaceRegistry, order: dict[str, int]) -> list[IndexItem]:
    items: dict[str, IndexItem] = {}
    for section in sections:
        entry = section.entry
        seen = []
        district = places.get(entry.district_id) if entry.district_id else None
        for place in (district, entry.ward):
            if place is None or place.id in seen:
                continue
            seen.append(place.id)
            item = items.setdefault(place.id, IndexItem(place.name, _qualifier(place, places), []))
            if section.anchor not in item.anchors:
                item.anchors.append(section.anchor)
    return _sorted_items(items.values(), order)


def _qualifier(place: Place, places: PlaceRegistry) -> str:
    """"quận", "phường, quận Tây Hồ", "phường, từ 1/7/2025"."""
    if place.is_district:
        return place.type
    if place.district:
        parent = places.get(place.district)
        return f"{place.type}, {parent.label}" if parent else place.type
    if place.is_new:
        return f"{place.type}, từ {place.start.day}/{place.start.month}/{place.start.year}"
    return place.type


def _sorted_items(items, order: dict[str, int]) -> list[IndexItem]:
    out = []
    for item in items:
        item.anchors.sort(key=lambda a: order.get(a, 0))
        out.append(item)
    return sorted(out, key=lambda i: (vn_sort_key(i.name), vn_sort_key(i.qualifier)))


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def initial(name: str) -> str:
    """The index letter of a name: tone removed, vowel shape kept ("Ủy" -> "U", "Đống" -> "Đ")."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", name.strip()) if ch not in _TONE_MARKS)
    first = unicodedata.normalize("NFC", stripped)[:1].upper()
    return first if first.isalpha() else "#"


def _letters(items: list[IndexItem]) -> list[IndexLetter]:
    letters: list[IndexLetter] = []
    for item in items:
        letter = initial(item.name)
        if not letters or letters[-1].letter != letter:
            letters.append(IndexLetter(letter, []))
        letters[-1].items.append(item)
    return letters
