"""The data files the site publishes under data/ and `dvk export` writes to a folder.

| file | what |
|---|---|
| entries.json / entries.csv | models and exemplars, one record/row each, every schema field |
| events.json / events.csv | events, likewise |
| awards.csv | one row per award with its recipient |
| places.json | every administrative unit with the 2025 crosswalk both ways |
| schema/*.schema.json | JSON Schema of each JSON file and of an awards.csv row |

Deterministic: records in the site's order (newest first, then Vietnamese title order),
JSON with sorted-free stable key order (declaration order) and a final newline.
"""

from __future__ import annotations

import json

from ..derive import Site
from ..render.spec import FileSpec
from ..text import vn_sort_key
from .records import award_rows, collection_of, csv_cell, entry_record, place_record, place_successors, record_columns
from .schemas import awards_schema, entries_schema, list_schema, places_schema
from .tables import csv_line, join_csv_lines, write_csv
from . import FORMATS

DATA_DIR = "data"

# File name, what it holds (Vietnamese, for the data page), format.
DATA_FILES = (
    ("entries.json", "Mô hình và điển hình: mỗi mục một bản ghi, đủ mọi trường", "json"),
    ("entries.csv", "Mô hình và điển hình: mỗi mục một dòng (mở bằng Excel)", "csv"),
    ("events.json", "Sự kiện: hội thi, biểu dương, sơ kết, tổng kết…", "json"),
    ("events.csv", "Sự kiện: mỗi sự kiện một dòng", "csv"),
    ("awards.csv", "Khen thưởng: mỗi khen thưởng một dòng, kèm mục được khen", "csv"),
    ("places.json", "Đơn vị hành chính trước và sau 1/7/2025, kèm bảng chuyển đổi", "json"),
    ("schema/entries.schema.json", "JSON Schema của entries.json", "json"),
    ("schema/events.schema.json", "JSON Schema của events.json", "json"),
    ("schema/awards.schema.json", "JSON Schema của một dòng awards.csv", "json"),
    ("schema/places.schema.json", "JSON Schema của places.json", "json"),
)


def collect_data_files(site: Site, base_url: str = "", formats: tuple[str, ...] = FORMATS, memo=None) -> list[FileSpec]:
    """Every data file as (path under data/, bytes), for the given formats. `memo`: an
    export.memo.EntryMemo whose context holds the places and `base_url` (a build's)."""
    models = [entry_pieces(e, site, base_url, memo) for e in site.models]
    events = [entry_pieces(e, site, base_url, memo) for e in site.events]
    award_columns, awards = award_rows(site, base_url)
    successors = place_successors(site)
    # by name as Vietnamese sorts it (Bạch Đằng before Bắc Từ Liêm), as on the site's pages
    places = [place_record(p, site, successors) for p in sorted(site.places.places.values(), key=lambda p: (vn_sort_key(p.name), p.id))]
    files: dict[str, bytes] = {}
    if "json" in formats:
        files["entries.json"] = join_json_items([item for item, _ in models])
        files["events.json"] = join_json_items([item for item, _ in events])
        files["places.json"] = dump_json(places)
        files["schema/entries.schema.json"] = dump_json(list_schema(entries_schema("models"), "Mô hình, điển hình"))
        files["schema/events.schema.json"] = dump_json(list_schema(entries_schema("events"), "Sự kiện"))
        files["schema/places.schema.json"] = dump_json(places_schema())
        files["schema/awards.schema.json"] = dump_json(awards_schema(award_columns))
    if "csv" in formats:
        files["entries.csv"] = join_csv_lines(record_columns("models"), [line for _, line in models])
        files["events.csv"] = join_csv_lines(record_columns("events"), [line for _, line in events])
        files["awards.csv"] = write_csv(award_columns, awards)
    return [FileSpec(f"{DATA_DIR}/{name}", files[name]) for name, _, _ in DATA_FILES if name in files]


def entry_pieces(entry, site: Site, base_url: str = "", memo=None) -> tuple[bytes, bytes]:
    """An entry's item of its JSON file (indented as an item of the list) and its CSV line
    (formatted: joining 10,000 kept lines is what an unchanged entry costs, where
    formatting its cells again took a fifth of a one-edit build's open data): both from
    one record, kept in `memo` between builds, in UTF-8 (as text, reading the memo
    decoded 24 MB and writing the files encoded it again: 0.1 s of every build)."""

    def make() -> tuple[bytes, bytes]:
        record = entry_record(entry, site, base_url)
        line = csv_line([csv_cell(record.get(c)) for c in record_columns(collection_of(entry))])
        return json_item(record).encode("utf-8"), line.encode("utf-8")

    return memo.get(entry, "record", make) if memo is not None else make()


def json_item(value) -> str:
    """`value` as dump_json writes it inside a list: one level deeper (indent 1 per level;
    strings never hold a raw line break, so every line is structure)."""
    return "\n".join(" " + line for line in json.dumps(value, ensure_ascii=False, indent=1).split("\n"))


def join_json_items(items: list[bytes]) -> bytes:
    """dump_json of a list whose items are already json_item text in UTF-8: the same bytes."""
    if not items:
        return b"[]\n"
    return b"[\n" + b",\n".join(items) + b"\n]\n"


def dump_json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
