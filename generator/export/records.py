"""One plain record per entry, award and place: the rows of the data files.

The columns of an entry record are the schema's keys (`COLLECTIONS`), in declaration
order, followed by what the site adds (`EXTRA_COLUMNS`: the page URL, place names, the
story). Values are written the way an editor writes them in front matter: vocabulary ids
("kinh-te"), place ids, ISO dates, so a record validates against the front-matter schema
extended with those extra columns (see schemas.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from ..derive import Site
from ..model import Entry, Figure, Image, Place
from ..schema import COLLECTIONS
from ..vocab import Term
from ..render.urls import entry_path

# What the site adds to the editor's fields, with the Vietnamese meaning (data page, schema).
EXTRA_COLUMNS = {
    "id": "id của mục (tên tệp), không đổi",
    "url": "địa chỉ trang của mục trên trang web",
    "district_name": "tên quận, huyện (trước 1/7/2025)",
    "ward_name": "tên phường, xã",
    "body": "nội dung câu chuyện (Markdown)",
}
# Front-matter keys that never leave the build (none today; personal-data fields would).
PRIVATE_KEYS: frozenset[str] = frozenset({"public_contact"})


def collection_of(entry: Entry) -> str:
    return "events" if entry.is_event else "models"


def record_columns(collection: str) -> list[str]:
    """Column order of a collection's data file: id first, schema keys, then the extras."""
    keys = [s.key for s in COLLECTIONS[collection] if s.key not in PRIVATE_KEYS]
    return ["id", *keys, *(k for k in EXTRA_COLUMNS if k != "id")]


def entry_record(entry: Entry, site: Site, base_url: str = "") -> dict:
    """The entry as plain data: every schema field it has, plus id, URL, names and body."""
    record: dict = {"id": entry.id}
    for spec in COLLECTIONS[collection_of(entry)]:
        if spec.key in PRIVATE_KEYS:
            continue
        value = to_plain(getattr(entry, spec.key, None))
        if value not in (None, "", [], {}):
            record[spec.key] = value
    district = site.places.get(entry.district_id) if entry.district_id else None
    record["url"] = base_url + entry_path(entry)
    if district:
        record["district"] = district.id
        record["district_name"] = district.name
    if entry.ward:
        record["ward_name"] = entry.ward.name
    record["body"] = entry.body.strip()
    return record


def to_plain(value):
    """Typed values back to front-matter form: Term/Place -> id, date -> ISO, records -> dicts."""
    if isinstance(value, (Term, Place)):
        return value.id
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Image):
        return {k: v for k, v in (("src", value.src), ("caption", value.caption), ("credit", value.credit), ("illustrative", value.illustrative)) if v}
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Figure) for v in value):
        # event figures in their labelled front-matter form: the label a reader sees travels with the number
        return {f.key: {"label": f.label, "value": f.value} for f in value}
    if dataclasses.is_dataclass(value):
        out = {}
        for f in dataclasses.fields(value):
            if f.name in ("abs_path", "recipient_id"):
                continue
            inner = getattr(value, f.name)
            # an award's `image` is written as a bare path in front matter (no caption of its own)
            plain = inner.src if f.name == "image" and isinstance(inner, Image) else to_plain(inner)
            if plain not in (None, "", [], {}) and plain is not False:
                out[f.name] = plain
        return out
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def csv_cell(value) -> str | int:
    """Scalars as they are; lists and objects as JSON (one predictable rule, round-trips)."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return value


def award_rows(site: Site, base_url: str = "") -> tuple[list[str], list[list]]:
    """One row per award with its recipient (the awards.csv file)."""
    columns = ["entry_id", "entry_title", "entry_kind", "entry_url", "district", "ward", "title", "level", "year", "by", "rank", "event", "decision"]
    rows = []
    for record in site.awards:
        entry, award = record.entry, record.award
        rows.append([
            entry.id, entry.title, entry.kind.id, base_url + entry_path(entry), entry.district_id or "", entry.ward.id if entry.ward else "",
            award.title, award.level.id, award.year, award.by, award.rank.id if award.rank else "", award.event, award.decision,
        ])
    return columns, rows


def place_record(place: Place, site: Site, successors: dict[str, list[str]] | None = None) -> dict:
    """A unit with the 2025 crosswalk both ways (`formed_from` and `successors`).
    `successors`: place_successors(site), made once for all places (asked per place, the
    682 units of Hanoi's registry took 0.07 s of every build's open data)."""
    names = {"start": "from", "end": "until"}  # the keys places.yml uses
    record = {}
    for f in dataclasses.fields(place):
        value = to_plain(getattr(place, f.name))
        if value not in (None, "", [], {}):
            record[names.get(f.name, f.name)] = value
    record.setdefault("formed_from", [])
    record["successors"] = (successors if successors is not None else place_successors(site)).get(place.id, [])
    return record


def place_successors(site: Site) -> dict[str, list[str]]:
    """{place id: the ids of the units formed from it, sorted}."""
    found: dict[str, set[str]] = {}
    for unit in site.places.places.values():
        for source in unit.formed_from:
            found.setdefault(source, set()).add(unit.id)
    return {source: sorted(ids) for source, ids in found.items()}
