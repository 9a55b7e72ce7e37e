"""Which entries go into the book: filters on the derived Site.

Filter values are forgiving the same way front matter is ("Tây Hồ", "tay-ho"; "Kinh tế",
"kinh-te"); a value that matches nothing is an option error naming the valid choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..derive import Site
from ..model import Event, Model
from ..vocab import FIELDS, LEVELS, Vocabulary
from .options import BookOptions, OptionError


@dataclass
class Selection:
    """The models/exemplars and events of one book, in the Site's order."""

    models: list[Model] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {e.id for e in self.models} | {e.id for e in self.events}

    def __len__(self) -> int:
        return len(self.models) + len(self.events)


def select_entries(site: Site, options: BookOptions) -> Selection:
    """Apply --ids, --year, --district, --level, --field to the site."""
    if options.ids:
        return _explicit(site, options.ids, options.events)
    places = _places(site, options.districts)
    levels = _terms(LEVELS, options.levels, "--level")
    fields = _terms(FIELDS, options.fields, "--field")
    years = set(options.years)
    chosen = Selection()
    for model in site.models:
        if years and model.year not in years:
            continue
        if places and not _in_places(model, places):
            continue
        if levels and model.level.id not in levels:
            continue
        if fields and model.field.id not in fields:
            continue
        chosen.models.append(model)
    if options.events:
        for event in site.events:
            if years and event.year not in years:
                continue
            if places and not _in_places(event, places):
                continue
            chosen.events.append(event)
    return chosen


def _explicit(site: Site, ids: list[str], with_events: bool) -> Selection:
    unknown = [i for i in ids if i not in site.entries]
    if unknown:
        raise OptionError(f"--ids: không có mục: {', '.join(unknown)} — xem tên tệp trong content/ (không có .md)")
    wanted = set(ids)
    return Selection(
        models=[m for m in site.models if m.id in wanted],
        events=[e for e in site.events if e.id in wanted] if with_events else [],
    )


def _places(site: Site, values: list[str]) -> set[str]:
    found: set[str] = set()
    for value in values:
        place = site.places.match(value)
        if place is None:
            near = site.places.nearest(value, want_district=True)
            hint = f" — có phải \"{near}\"?" if near else " — dùng id trong content/places.yml, ví dụ tay-ho"
            raise OptionError(f"--district: không có đơn vị \"{value}\"{hint}")
        found.add(place.id)
    return found


def _in_places(entry, places: set[str]) -> bool:
    ids = {entry.district_id, entry.ward.id if entry.ward else None, entry.district.id if entry.district else None}
    return bool(ids & places)


def _terms(vocab: Vocabulary, values: list[str], flag: str) -> set[str]:
    found: set[str] = set()
    for value in values:
        term = vocab.match(value)
        if term is None:
            raise OptionError(f"{flag}: \"{value}\" không hợp lệ — dùng một trong: {', '.join(vocab.ids())}")
        found.add(term.id)
    return found
