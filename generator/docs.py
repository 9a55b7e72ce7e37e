"""The README's field tables, generated from the schema (`dvk docs --write`).

A README section between `<!-- dvk:fields PATH -->` and `<!-- /dvk:fields -->` is the
table of the keys at PATH ("models", "events", or a nested record such as
"models.awards"). Everything else in the README is left as written; `dvk docs` without
`--write` only says whether the tables are stale, which a test checks.
"""

from __future__ import annotations

import re

from . import schema as S
from .vocab import EVENT_KINDS, KINDS

MARKER_RE = re.compile(r"(<!-- dvk:fields ([a-z_.]+) -->\n)(.*?)(<!-- /dvk:fields -->)", re.S)
KIND_LABELS = {t.id: t.label.lower() for vocab in (KINDS, EVENT_KINDS) for t in vocab}


class DocsError(Exception):
    """A marker names no collection or record; the message is for the editor."""


def find_specs(path: str) -> tuple[S.Spec, ...]:
    """"models" -> MODEL_SPECS; "models.awards" -> the keys of one award."""
    collection, *keys = path.split(".")
    if collection not in S.COLLECTIONS:
        raise DocsError(f'"{path}": không có bộ sưu tập "{collection}" (dùng: {", ".join(S.COLLECTIONS)})')
    specs = S.COLLECTIONS[collection]
    for key in keys:
        spec = S.specs_by_key(specs).get(key)
        record = spec.type.item if spec and isinstance(spec.type, S.ListOf) else spec.type if spec else None
        if not isinstance(record, S.Record):
            raise DocsError(f'"{path}": "{key}" không phải danh sách các mục có khóa')
        specs = record.specs
    return specs


def describe_required(spec: S.Spec, specs: tuple[S.Spec, ...]) -> str:
    if spec.required:
        return "có"
    if spec.required_for:
        return "với " + ", ".join(KIND_LABELS.get(k, k) for k in spec.required_for)
    places = S.place_specs(specs)
    if spec in places and len(places) > 1:
        return "một trong hai" if len(places) == 2 else "ít nhất một"
    return "không"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_table(path: str) -> str:
    """A Markdown table: key, required, label with help and the accepted values."""
    specs = find_specs(path)
    rows = ["| khóa | bắt buộc | ý nghĩa và cách viết |", "|---|---|---|"]
    for spec in specs:
        meaning = f"**{spec.label}**. {spec.help} Giá trị: {spec.type.describe()}."
        if spec.only_for:
            meaning += " Chỉ dùng cho " + ", ".join(KIND_LABELS.get(k, k) for k in spec.only_for) + "."
        rows.append(f"| `{spec.key}` | {describe_required(spec, specs)} | {_cell(meaning)} |")
    return "\n".join(rows) + "\n"


def update_readme(text: str) -> str:
    """The README with every marked section regenerated (and nothing else changed)."""
    return MARKER_RE.sub(lambda m: m.group(1) + render_table(m.group(2)) + m.group(4), text)


def list_sections(text: str) -> list[str]:
    return [m.group(2) for m in MARKER_RE.finditer(text)]
