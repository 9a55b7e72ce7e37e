"""An entry's facts (label, value), computed once from the schema for the site and the book.

Which keys are facts, their order and their labels are declared on the specs in schema.py
(`fact="text"` or `fact="link"`), so an entry page and a book page can never disagree,
and a key added to the schema with `fact=` shows up on both without touching a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import schema as S
from .model import Entry, Event, Place
from .places import PlaceRegistry
from .text import format_date, format_date_range
from .vocab import Term


@dataclass(frozen=True)
class Fact:
    """One row of the facts list. `term`, `year` and `places` let the site link the value
    to its listing page (only when the spec says `fact="link"`, or for places); the book
    prints `text`."""

    key: str
    label: str
    text: str
    term: Term | None = None
    year: int | None = None
    places: tuple[Place, ...] = ()


def list_entry_places(entry: Entry, places: PlaceRegistry) -> list[Place]:
    """The ward and its (pre-2025) district, the most specific first."""
    found = [entry.ward] if entry.ward else []
    district = places.get(entry.district_id) if entry.district_id else None
    if district:
        found.append(district)
    return found


def specs_of(entry: Entry) -> tuple[S.Spec, ...]:
    return S.EVENT_SPECS if isinstance(entry, Event) else S.MODEL_SPECS


def list_facts(entry: Entry, places: PlaceRegistry) -> list[Fact]:
    """The facts of one entry in schema order, empty values left out."""
    facts: list[Fact] = []
    placed = False
    for spec in specs_of(entry):
        if not spec.fact or not spec.applies_to(entry.kind.id):
            continue
        if isinstance(spec.type, S.PlaceRef):
            if not placed:
                placed = True
                found = tuple(list_entry_places(entry, places))
                if found:
                    facts.append(Fact("place", S.PLACE_FACT_LABEL, ", ".join(p.label for p in found), places=found))
            continue
        fact = make_fact(spec, entry)
        if fact is not None:
            facts.append(fact)
    return facts


def make_fact(spec: S.Spec, entry: Entry) -> Fact | None:
    """One key's value as text (and link target); None when the entry leaves it empty."""
    value = getattr(entry, spec.key, None)
    if value in (None, "", [], {}, 0):
        return None
    linked = spec.fact == "link"
    kind = spec.type
    if isinstance(value, Term):
        return Fact(spec.key, spec.label, value.label, term=value if linked else None)
    if isinstance(kind, S.Year):
        return Fact(spec.key, spec.label, str(value), year=value if linked else None)
    if isinstance(kind, S.Date):
        end = getattr(entry, kind.until, None) if kind.until else None
        return Fact(spec.key, spec.label, format_date_range(value, end) if kind.until else format_date(value))
    if isinstance(kind, S.ListOf):
        return Fact(spec.key, spec.label, ", ".join(str(item) for item in value))
    return Fact(spec.key, spec.label, str(value))
