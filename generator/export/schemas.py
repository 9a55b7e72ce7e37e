"""JSON Schemas of the published data files, derived from the front-matter schema.

An exported entry is its front matter in normalised form plus the columns the site adds,
so its schema is the collection's schema (generator/schema.py `json_schema`) with those
columns added. Nothing is declared twice: a field added to the spec is in the data file
and in its schema at once.
"""

from __future__ import annotations

import copy

from ..schema import json_schema
from .records import EXTRA_COLUMNS, PRIVATE_KEYS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def entries_schema(collection: str) -> dict:
    """Schema of one record of data/entries.json ("models") or data/events.json ("events")."""
    schema = copy.deepcopy(json_schema(collection))
    for key in PRIVATE_KEYS:
        schema["properties"].pop(key, None)
    schema["$id"] = f"dvk/data/{'entries' if collection == 'models' else 'events'}.schema.json"
    schema["properties"]["id"] = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "description": EXTRA_COLUMNS["id"]}
    for key in ("url", "district_name", "ward_name", "body"):
        schema["properties"][key] = {"type": "string", "description": EXTRA_COLUMNS[key]}
    schema["required"] = ["id", "url", *schema["required"]]
    return schema


def list_schema(item: dict, title: str) -> dict:
    """A data file is a JSON array of records."""
    return {"$schema": SCHEMA_DIALECT, "title": title, "type": "array", "items": {k: v for k, v in item.items() if k != "$schema"}}


def awards_schema(columns: list[str]) -> dict:
    """Schema of one awards.csv row read as a dict (every cell is text in CSV)."""
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "dvk/data/awards.schema.json",
        "title": "Khen thưởng (một dòng của awards.csv)",
        "type": "object",
        "properties": {c: {"type": "string"} for c in columns},
        "required": ["entry_id", "title", "level", "year"],
        "additionalProperties": False,
    }


def places_schema() -> dict:
    unit = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "type": {"type": "string"},
            "district": {"type": "string"},
            "from": {"type": "string", "format": "date"},
            "until": {"type": "string", "format": "date"},
            "formed_from": {"type": "array", "items": {"type": "string"}},
            "successors": {"type": "array", "items": {"type": "string"}},
            "code": {"type": ["string", "integer"]},
            "lat": {"type": "number"},
            "lon": {"type": "number"},
        },
        "required": ["id", "name", "type", "formed_from", "successors"],
        "additionalProperties": True,
    }
    return {"$schema": SCHEMA_DIALECT, "$id": "dvk/data/places.schema.json", "title": "Đơn vị hành chính và bảng chuyển đổi 2025", "type": "array", "items": unit}

