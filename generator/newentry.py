"""`dvk new`: write a correctly named entry file with every field, commented in Vietnamese.

The template is generated from the schema, so a key added to `schema.py` appears here
without further work. Values come from flags or, on a terminal, from prompts.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable

from . import schema as S
from .places import PlaceRegistry
from .text import nfc, slugify
from .vocab import EVENT_TYPES, FIELDS, LEVELS, SUBJECTS, Vocabulary

CHOICES: dict[str, Vocabulary] = {"field": FIELDS, "level": LEVELS, "type": EVENT_TYPES, "subject": SUBJECTS}
REQUIRED = {
    "model": ["title", "unit", "district", "ward", "field", "level", "year", "summary"],
    "exemplar": ["title", "subject", "unit", "district", "ward", "field", "level", "year", "summary"],
    "event": ["title", "type", "date", "district", "ward", "organizer", "summary"],
}
PLACEHOLDER_BODY = {
    "model": "## Bối cảnh\n\n(Viết vì sao có mô hình.)\n\n## Cách làm\n\n(Các bước thực hiện.)\n\n## Kết quả\n\n(Điều gì đã thay đổi.)\n",
    "exemplar": "## Câu chuyện\n\n(Viết về việc làm của điển hình.)\n\n## Kết quả\n\n(Điều gì đã thay đổi.)\n",
    "event": "## Diễn biến\n\n(Viết về sự kiện.)\n",
}


class NewEntryError(Exception):
    """A value given to `dvk new` is not usable; the message is for the editor."""


def _yaml_scalar(value) -> str:
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def normalise_value(key: str, value: str, places: PlaceRegistry) -> object:
    """Check one flag/prompt value; raise NewEntryError with a Vietnamese hint."""
    value = nfc(value.strip())
    if key in CHOICES:
        term = CHOICES[key].match(value)
        if term is None:
            raise NewEntryError(f"{key}: \"{value}\" không hợp lệ — dùng một trong: {', '.join(CHOICES[key].ids())}")
        return term.id
    if key in ("district", "ward"):
        place = places.match(value)
        if place is None or place.is_district != (key == "district"):
            near = places.nearest(value, key == "district")
            raise NewEntryError(f"{key}: \"{value}\" không có trong content/places.yml" + (f" — có phải `{near}`?" if near else ""))
        return place.id
    if key == "year":
        if not value.isdigit() or not S.YEAR_MIN <= int(value) <= S.max_year():
            raise NewEntryError(f"year: \"{value}\" phải là năm từ {S.YEAR_MIN} đến {S.max_year()}")
        return int(value)
    if key == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise NewEntryError(f"date: \"{value}\" phải có dạng 2024-07-31") from None
    if key == "summary" and len(value) > S.SUMMARY_MAX:
        raise NewEntryError(f"summary: dài {len(value)} ký tự, tối đa {S.SUMMARY_MAX}")
    if not value and key not in ("district", "ward"):
        raise NewEntryError(f"{key}: không được để trống")
    return value


def gather_values(kind: str, given: dict[str, str | None], places: PlaceRegistry, ask: Callable[[str], str] | None) -> dict:
    """Values for the required keys, from flags first, then prompts (if `ask` is given)."""
    values: dict = {}
    specs = S.specs_by_key(S.EVENT_SPECS if kind == "event" else S.MODEL_SPECS)
    missing = []
    for key in REQUIRED[kind]:
        raw = given.get(key)
        if raw is None and ask is not None:
            spec = specs[key]
            options = f" ({', '.join(CHOICES[key].ids())})" if key in CHOICES else ""
            optional = " (có thể bỏ trống)" if key in ("district", "ward") else ""
            raw = ask(f"{spec.label}{options}{optional}: ")
            if key in ("district", "ward") and not raw.strip():
                continue
        if raw is None:
            if key not in ("district", "ward"):
                missing.append(key)
            continue
        values[key] = normalise_value(key, raw, places)
    if missing:
        raise NewEntryError("thiếu giá trị: " + ", ".join(f"--{k.replace('_', '-')}" for k in missing) + " (hoặc chạy trên terminal để được hỏi)")
    if not values.get("district") and not values.get("ward"):
        raise NewEntryError("cần --district hoặc --ward (hoặc cả hai)")
    if values.get("district") and values.get("ward"):
        ward = places.get(values["ward"])
        if ward.district != values["district"]:
            raise NewEntryError(f"ward: {ward.label} không thuộc quận/huyện \"{values['district']}\"")
    return values


def render_template(kind: str, values: dict) -> str:
    """Front matter with every key of the schema, each with a Vietnamese comment."""
    specs = S.EVENT_SPECS if kind == "event" else S.MODEL_SPECS
    lines = ["---"]
    for spec in specs:
        if spec.only_for and kind not in spec.only_for:
            continue
        lines.append(f"# {spec.label}{' (bắt buộc)' if spec.required else ''}: {spec.help}")
        if spec.key == "kind":
            lines.append(f"kind: {kind}" if kind != "event" else "# kind: event")
        elif spec.key in values:
            lines.append(f"{spec.key}: {_yaml_scalar(values[spec.key])}")
        elif isinstance(spec.type, (S.ListOf, S.Figures)):
            lines.append(f"{spec.key}: {'{}' if isinstance(spec.type, S.Figures) else '[]'}")
            lines.extend(f"#   {line}" for line in _example_lines(spec))
        else:
            lines.append(f"# {spec.key}: {_yaml_scalar(spec.example) if spec.example is not None else ''}")
    lines.append("---")
    return "\n".join(lines) + "\n" + PLACEHOLDER_BODY[kind]


def _example_lines(spec: S.Spec) -> list[str]:
    item = spec.type.item if isinstance(spec.type, S.ListOf) else None
    if isinstance(item, S.Record):
        first, *rest = item.specs
        out = [f"- {first.key}: {_yaml_scalar(first.example or first.label)}"]
        out += [f"  {s.key}: {_yaml_scalar(s.example or s.label)}" for s in rest if s.required or s.example]
        return out
    if isinstance(spec.type, S.Figures):
        # a declared key (vocab.FIGURES) takes a number; any other key needs its own label
        return ["mo_hinh_dang_ky: 633", 'ho_gia_dinh_nhan_qua: {label: "Hộ gia đình nhận quà", value: 120}']
    return ["- ..."]


def target_path(content_dir: Path, kind: str, entry_id: str, values: dict, places: PlaceRegistry) -> Path:
    """content/events/<id>.md, or content/models/<district or ward>/<id>.md."""
    if kind == "event":
        return content_dir / "events" / f"{entry_id}.md"
    folder = values.get("district") or values.get("ward")
    return content_dir / "models" / folder / f"{entry_id}.md"


def make_entry_id(title: str, explicit: str | None) -> str:
    entry_id = explicit or slugify(title)
    if not S.ID_RE.match(entry_id):
        raise NewEntryError(f"id \"{entry_id}\" không hợp lệ — chỉ chữ thường không dấu, số và '-'")
    return entry_id
