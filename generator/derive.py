"""Derive stage: valid entries -> indexes computed once (Hugo-style taxonomies).

The site, the book, `dvk stats` and open-data exports all read a `Site`; none of them
re-scans the entry list to group it. Every listing here is already in display order:
awarded entries first (best award level, then rank), then newest first; events newest
first; places in Vietnamese alphabetical order (text.vn_sort_key, ICU).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Award, Entry, Event, Model, Place
from .places import PlaceRegistry
from .text import vn_sort_key
from .vocab import FIELDS, LEVELS, RANKS, Term


@dataclass(frozen=True)
class AwardRecord:
    """An award with the entry that received it (for the awards index and galleries)."""

    award: Award
    entry: Model


@dataclass(frozen=True)
class Backlink:
    """A contest result seen from the winning entry."""

    event: Event
    rank: Term


def entry_sort_key(entry: Entry):
    """Newest first, then title in Vietnamese order.

    Kept on the entry, like its projection digests (render/projection.py): an entry never
    changes after validation, and the validator's cache pickles it with the key, so a
    build after one edit makes one ICU key instead of 10,000 (0.3 s). The key depends on
    ICU, which is part of dvk's code version (build/fingerprint.py): a new one starts
    that cache afresh."""
    found = getattr(entry, _SORT_KEY, None)
    if found is None:
        year = entry.date.toordinal() if isinstance(entry, Event) and entry.date else entry.year * 1000
        found = (-year, vn_sort_key(entry.title))
        object.__setattr__(entry, _SORT_KEY, found)  # not a field: not in repr or ==
    return found


_SORT_KEY = "_dvk_sort_key"


_UNAWARDED = (1, 0, 0)


def award_standing(entry: Entry, wins: list[Backlink] = ()) -> tuple[int, int, int]:
    """How high an entry's best award stands; smaller is better, unawarded entries last.

    Level first (Thành phố > quận > cơ sở), then rank (Nhất > Nhì > Ba > Khuyến khích >
    no rank). A contest result recorded only on the event (no `awards` line, so no level)
    still counts, after every award that has a level.
    """
    best = _UNAWARDED
    for award in getattr(entry, "awards", ()):
        rank = award.rank.rank if award.rank else len(RANKS.terms)
        best = min(best, (0, -award.level.rank, rank))
    for win in wins:
        best = min(best, (0, 1, win.rank.rank))
    return best


def best_award(entry: Entry) -> Award | None:
    """The award that decides the entry's place in listings (shown on its card)."""
    awards = getattr(entry, "awards", ())
    return min(awards, key=lambda a: (-a.level.rank, a.rank.rank if a.rank else len(RANKS.terms)), default=None)


def order_awarded_first(entries: list, standing: dict[str, tuple]) -> list:
    """Awarded entries first by their `award_standing` ({id: standing}), the current order
    kept otherwise (stable)."""
    return sorted(entries, key=lambda e: standing[e.id])


@dataclass
class Site:
    """All entries and every index the outputs need."""

    places: PlaceRegistry
    entries: dict[str, Entry]
    models: list[Model] = field(default_factory=list)  # models and exemplars, newest first
    events: list[Event] = field(default_factory=list)  # newest first
    by_district: dict[str, list[Entry]] = field(default_factory=dict)
    by_ward: dict[str, list[Entry]] = field(default_factory=dict)
    by_field: dict[Term, list[Model]] = field(default_factory=dict)
    by_level: dict[Term, list[Model]] = field(default_factory=dict)
    by_year: dict[int, list[Model]] = field(default_factory=dict)
    by_kind: dict[str, list[Model]] = field(default_factory=dict)
    awards: list[AwardRecord] = field(default_factory=list)
    awards_by_level: dict[Term, list[AwardRecord]] = field(default_factory=dict)
    awards_by_year: dict[int, list[AwardRecord]] = field(default_factory=dict)
    awards_by_district: dict[str, list[AwardRecord]] = field(default_factory=dict)
    related: dict[str, list[Entry]] = field(default_factory=dict)  # both directions
    contest_wins: dict[str, list[Backlink]] = field(default_factory=dict)
    award_events: dict[str, list[AwardRecord]] = field(default_factory=dict)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def districts(self) -> list[Place]:
        """Districts that have entries, in Vietnamese order."""
        return sorted((self.places.get(d) for d in self.by_district), key=lambda p: vn_sort_key(p.name))

    def wards(self) -> list[Place]:
        """Wards that have entries, in Vietnamese order."""
        return sorted((self.places.get(w) for w in self.by_ward), key=lambda p: vn_sort_key(p.name))

    def years(self) -> list[int]:
        return sorted(self.by_year, reverse=True)

    def places_key(self) -> str:
        """Every administrative unit, in id order, as text: what a search record or an
        entry's open-data piece reads of the site besides its entry (part of their cache keys)."""
        return repr(sorted(self.places.places.items()) if hasattr(self.places, "places") else self.places)


def derive_site(entries: list[Entry], places: PlaceRegistry) -> Site:
    """Build every index in one pass over the entries (plus sorting)."""
    ordered = sorted(entries, key=entry_sort_key)
    site = Site(places=places, entries={e.id: e for e in ordered})
    by_district: dict[str, list[Entry]] = defaultdict(list)
    by_ward: dict[str, list[Entry]] = defaultdict(list)
    by_field: dict[Term, list[Model]] = {t: [] for t in FIELDS}
    by_level: dict[Term, list[Model]] = {t: [] for t in LEVELS}
    by_year: dict[int, list[Model]] = defaultdict(list)
    by_kind: dict[str, list[Model]] = {"model": [], "exemplar": []}
    related: dict[str, list[Entry]] = defaultdict(list)
    contest_wins: dict[str, list[Backlink]] = defaultdict(list)
    award_events: dict[str, list[AwardRecord]] = defaultdict(list)
    for entry in ordered:
        if entry.district_id:
            by_district[entry.district_id].append(entry)
        if entry.ward:
            by_ward[entry.ward.id].append(entry)
        for other_id in entry.related:
            other = site.entries.get(other_id)
            if other is None:
                continue
            _add_once(related[entry.id], other)
            _add_once(related[other.id], entry)
        if isinstance(entry, Event):
            site.events.append(entry)
            for result in entry.results:
                if result.recipient_id in site.entries:
                    contest_wins[result.recipient_id].append(Backlink(entry, result.rank))
            continue
        site.models.append(entry)
        by_field[entry.field].append(entry)
        by_level[entry.level].append(entry)
        by_year[entry.year].append(entry)
        by_kind[entry.kind.id].append(entry)
        for award in entry.awards:
            record = AwardRecord(award, entry)
            site.awards.append(record)
            if award.event:
                award_events[award.event].append(record)
    # the gallery: newest year, then level (Thành phố first), then rank (Nhất first), then title
    site.awards.sort(key=lambda r: (-r.award.year, -r.award.level.rank, r.award.rank.rank if r.award.rank else len(RANKS.terms), entry_sort_key(r.entry)[1]))  # (the title key kept on the entry)
    for record in site.awards:
        site.awards_by_level.setdefault(record.award.level, []).append(record)
        site.awards_by_year.setdefault(record.award.year, []).append(record)
        if record.entry.district_id:
            site.awards_by_district.setdefault(record.entry.district_id, []).append(record)
    site.awards_by_level = dict(sorted(site.awards_by_level.items(), key=lambda kv: -kv[0].rank))
    # every listing puts awarded entries first within its group (issue 13); site.models
    # and site.events stay newest first (home page, book, feeds); each entry's standing is
    # worked out once, not once per listing it is on (six)
    standing = {e.id: award_standing(e, contest_wins.get(e.id, ())) for e in ordered}

    def first(items: list) -> list:
        return order_awarded_first(items, standing)

    site.by_district = {k: first(v) for k, v in by_district.items()}
    site.by_ward = {k: first(v) for k, v in by_ward.items()}
    site.by_field = {k: first(v) for k, v in by_field.items()}
    site.by_level = {k: first(v) for k, v in by_level.items()}
    site.by_year = {k: first(v) for k, v in sorted(by_year.items(), reverse=True)}
    site.by_kind = {k: first(v) for k, v in by_kind.items()}
    site.related = {k: sorted(v, key=entry_sort_key) for k, v in related.items()}
    site.contest_wins = dict(contest_wins)
    site.award_events = dict(award_events)
    return site


def _add_once(items: list[Entry], entry: Entry) -> None:
    if not any(item is entry for item in items):
        items.append(entry)
