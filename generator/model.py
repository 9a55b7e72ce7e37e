"""Typed records produced by validation and consumed by derive, the site and the book.

Nothing here does I/O. Records are plain dataclasses so that later stages (and tests)
can build them directly.
"""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .text import fold, normalize_tone_placement
from .vocab import EVENT_KINDS, Term

ILLUSTRATIVE_LABEL = "Ảnh minh họa"
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
        return self.type in ("quận", "huyện", "thị xã")

    @property
    def is_new(self) -> bool:
        """A unit of the two-tier government in force from 1 July 2025."""
        return self.start is not None and self.start >= dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Image:
    src: str  # path relative to content/, POSIX
    caption: str
    credit: str = ""
    abs_path: Path | None = field(default=None, compare=False)
    illustrative: bool = False  # a drawing or staged picture, never to be called a photo

    @property
    def credit_line(self) -> str:
        """What a reader sees after the caption: "Ảnh minh họa" first when illustrative."""
        return " · ".join(([ILLUSTRATIVE_LABEL] if self.illustrative else []) + ([self.credit] if self.credit else []))


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Award:
    title: str
    level: Term
    year: int
    by: str = ""
    rank: Term | None = None
    event: str = ""
    decision: str = ""
    image: Image | None = None


@dataclass(frozen=True)
class Figure:
    """One number an event reports, with the Vietnamese label a reader sees.

    The label comes from the entry (`key: {label, value}`) or from vocab.FIGURES; the
    key itself is an identifier and is never shown.
    """

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class ContestResult:
    rank: Term
    recipient: str  # entry id when `recipient_id` is set, else free text
    recipient_id: str = ""


@dataclass
class Entry:
    """Fields shared by models, exemplars and events."""

    id: str
    kind: Term
    path: str  # relative to the project root, POSIX
    title: str
    summary: str
    district: Place | None = None
    ward: Place | None = None
    images: list[Image] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
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


@dataclass
class Model(Entry):
    """A mô hình (kind model) or điển hình (kind exemplar)."""

    unit: str = ""
    field: Term | None = None
    level: Term | None = None
    year: int = 0
    subject: Term | None = None
    position: str = ""
    # `field` above shadows dataclasses.field inside this class body
    results: list[str] = dataclasses.field(default_factory=list)
    awards: list[Award] = dataclasses.field(default_factory=list)


@dataclass
class Event(Entry):
    type: Term | None = None
    date: dt.date | None = None
    end_date: dt.date | None = None
    organizer: str = ""
    location: str = ""
    results: list[ContestResult] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.date.year if self.date else 0


EVENT_KIND = EVENT_KINDS.get("event")
