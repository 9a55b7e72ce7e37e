"""Typed records produced by validation and consumed by derive, the site and the book.

Nothing here does I/O. Records are plain dataclasses so that later stages (and tests)
can build them directly; their schema fields are generated from `schema.py`, so only
what the schema does not declare (ids, paths, derived properties) is written here.
"""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as S
from .text import fold, normalize_tone_placement
from .vocab import DISTRICT_TYPES, EVENT_KINDS

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing an editor must fix (error) or should look at (warning)."""

    path: str
    line: int
    key: str
    message: str
    hint: str = ""
    severity: str = ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f" {self.key}:" if self.key else ""
        hint = f" — {self.hint}" if self.hint else ""
        tag = "" if self.severity == ERROR else " [cảnh báo]"
        return f"{where}:{tag}{key} {self.message}{hint}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }

    def sort_key(self):
        return (self.path, self.line, self.key, self.message)


@dataclass(frozen=True)
class Place:
    """An administrative unit from places.yml (pre-2025 district/ward or post-2025 ward)."""

    id: str
    name: str
    type: str
    district: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    formed_from: tuple[str, ...] = ()
    code: str = ""  # official code of the administrative unit ("00070"), "" when unknown
    lat: float | None = None  # centroid, for maps and nearest-unit hints
    lon: float | None = None

    @property
    def label(self) -> str:
        """"quận Tây Hồ", "phường Nhật Tân"."""
        return f"{self.type} {self.name}"

    @property
    def title(self) -> str:
        """"Quận Tây Hồ" for headings."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def is_district(self) -> bool:
        return self.type in DISTRICT_TYPES

    @property
    def is_new(self) -> bool:
        """A unit of the two-tier government in force from 1 July 2025."""
        return self.start is not None and self.start >= dt.date(2025, 7, 1)


def _spec_field(spec: S.Spec):
    """A dataclass field for one spec key, with the empty value of its type as default."""
    kind = spec.type
    if isinstance(kind, S.ListOf):
        return (spec.key, list, dataclasses.field(default_factory=list))
    if isinstance(kind, S.Figures):
        return (spec.key, dict, dataclasses.field(default_factory=dict))
    if isinstance(kind, (S.Text, S.Url, S.Recipient, S.EntryRef)):
        return (spec.key, str, dataclasses.field(default=""))
    if isinstance(kind, S.Year):
        return (spec.key, int, dataclasses.field(default=0))
    return (spec.key, object, dataclasses.field(default=None))


def make_record_class(name: str, specs: tuple[S.Spec, ...], base: type, frozen: bool):
    """A dataclass with one field per spec key on top of `base` (which holds what the
    schema does not declare: ids, paths, methods). Built from the schema so that a key
    declared there is an attribute here without a second declaration."""
    cls = dataclasses.make_dataclass(
        name,
        [_spec_field(spec) for spec in specs],
        bases=(base,),
        frozen=frozen,
        namespace={"__doc__": base.__doc__, "__module__": __name__},
    )
    return cls


@dataclass(frozen=True)
class _ImageBase:
    """An image: `src` is relative to content/, POSIX; `abs_path` is where it was found."""

    abs_path: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _ContestResultBase:
    """One prize of a contest; `recipient_id` is set when `recipient` names an entry."""

    recipient_id: str = ""


@dataclass(frozen=True)
class _Plain:
    """A record made of schema keys only."""


Image = make_record_class("Image", S.IMAGE.specs, _ImageBase, True)
Source = make_record_class("Source", S.SOURCE.specs, _Plain, True)
Award = make_record_class("Award", S.AWARD.specs, _Plain, True)
ContestResult = make_record_class("ContestResult", S.RESULT.specs, _ContestResultBase, True)
RECORDS: dict[str, type] = {"image": Image, "source": Source, "award": Award, "result": ContestResult}


@dataclass
class Entry:
    """Fields shared by models, exemplars and events that the schema does not declare."""

    id: str = ""
    path: str = ""  # relative to the project root, POSIX
    body: str = ""
    body_line: int = 1

    @property
    def is_event(self) -> bool:
        return self.kind.id == "event"

    @property
    def search_text(self) -> str:
        """Folded text used by forgiving search (both tone placements, no marks, đ -> d)."""
        return fold(normalize_tone_placement(f"{self.title} {self.summary}"))

    @property
    def place(self) -> Place | None:
        return self.ward or self.district

    @property
    def district_id(self) -> str | None:
        """The pre-2025 district this entry belongs to, directly or through its ward."""
        if self.district:
            return self.district.id
        if self.ward and self.ward.district:
            return self.ward.district
        return None


class _EventBase(Entry):
    """A hội thi, hội nghị biểu dương, sơ kết... (kind event)."""

    @property
    def year(self) -> int:
        return self.date.year if self.date else 0


class _ModelBase(Entry):
    """A mô hình (kind model) or điển hình (kind exemplar)."""


Model = make_record_class("Model", S.MODEL_SPECS, _ModelBase, False)
Event = make_record_class("Event", S.EVENT_SPECS, _EventBase, False)


EVENT_KIND = EVENT_KINDS.get("event")
