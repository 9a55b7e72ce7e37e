"""`dvk new`: write a correctly named entry file with every field, commented in Vietnamese.

The template, the flags, the prompts and the value checks are generated from the schema,
so a key added to `schema.py` appears here without further work. Values come from flags or, on a terminal, from prompts.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable

from . import schema as S
from .places import PlaceRegistry
from .text import nfc, slugify

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


def all_prompted_specs() -> dict[str, S.Spec]:
    """Every key `dvk new` can take as a flag, over all kinds, in schema order."""
    found: dict[str, S.Spec] = {}
    for kinds in S.KINDS_OF.values():
        for kind in kinds:
            for spec in S.prompted_specs(kind):
                found.setdefault(spec.key, spec)
    return found


def describe_flag(spec: S.Spec) -> str:
    """Help text of a `dvk new` flag: the label, then the ids or the help of the spec."""
    if isinstance(spec.type, S.Choice):
        return f"{spec.label.lower()}: {', '.join(spec.type.vocab.ids())}"
    return f"{spec.label.lower()} — {spec.help}"


def normalise_value(spec: S.Spec, value: str, places: PlaceRegistry) -> object:
    """Check one flag/prompt value by its schema type; raise NewEntryError with a Vietnamese hint."""
    key, kind = spec.key, spec.type
    value = nfc(value.strip())
    if isinstance(kind, S.Choice):
        term = kind.vocab.match(value)
        if term is None:
            raise NewEntryError(f"{key}: \"{value}\" không hợp lệ — dùng một trong: {', '.join(kind.vocab.ids())}")
        return term.id
    if isinstance(kind, S.PlaceRef):
        want_district = kind.role == "district"
        found = places.resolve(value, want_district)
        if found.candidates:
            listed = "; ".join(f"`{p.id}` ({places.describe(p)})" for p in found.candidates)
            raise NewEntryError(f"{key}: \"{value}\" trùng tên {len(found.candidates)} đơn vị — ghi id của một trong: {listed}")
        place = found.place
        if place is None or place.is_district != want_district:
            near = places.nearest(value, want_district)
            raise NewEntryError(f"{key}: \"{value}\" không có trong content/places.yml" + (f" — có phải `{near}`?" if near else ""))
        return place.id
    if isinstance(kind, S.Year):
        if not value.isdigit() or not S.YEAR_MIN <= int(value) <= S.max_year():
            raise NewEntryError(f"{key}: \"{value}\" phải là năm từ {S.YEAR_MIN} đến {S.max_year()}")
        return int(value)
    if isinstance(kind, S.Date):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise NewEntryError(f"{key}: \"{value}\" phải có dạng 2024-07-31") from None
    if not value:
        raise NewEntryError(f"{key}: không được để trống")
    if isinstance(kind, S.Text) and len(value) > kind.max_len:
        raise NewEntryError(f"{key}: dài {len(value)} ký tự, tối đa {kind.max_len}")
    return value


def gather_values(kind: str, given: dict[str, str | None], places: PlaceRegistry, ask: Callable[[str], str] | None) -> dict:
    """Values for the keys the schema requires of this kind (and the places), from flags
    first, then prompts (if `ask` is given)."""
    values: dict = {}
    missing = []
    place_keys = {s.key for s in S.prompted_specs(kind) if isinstance(s.type, S.PlaceRef)}
    for spec in S.prompted_specs(kind):
        key = spec.key
        raw = given.get(key)
        if raw is None and ask is not None:
            options = f" ({', '.join(spec.type.vocab.ids())})" if isinstance(spec.type, S.Choice) else ""
            optional = " (có thể bỏ trống)" if key in place_keys else ""
            raw = ask(f"{spec.label}{options}{optional}: ")
            if key in place_keys and not raw.strip():
                continue
        if raw is None:
            if key not in place_keys:
                missing.append(key)
            continue
        values[key] = normalise_value(spec, raw, places)
    if missing:
        raise NewEntryError("thiếu giá trị: " + ", ".join(f"--{k.replace('_', '-')}" for k in missing) + " (hoặc chạy trên terminal để được hỏi)")
    if not any(values.get(key) for key in place_keys):
        raise NewEntryError("cần " + " hoặc ".join(f"--{k}" for k in sorted(place_keys)) + " (hoặc cả hai)")
    if values.get("district") and values.get("ward"):
        ward = places.get(values["ward"])
        if ward.district != values["district"]:
            raise NewEntryError(f"ward: {ward.label} không thuộc quận/huyện \"{values['district']}\"")
    return values


def render_template(kind: str, values: dict) -> str:
    """Front matter with every key of the schema, each with a Vietnamese comment."""
    specs = S.COLLECTIONS[S.collection_of(kind)]
    lines = ["---"]
    for spec in specs:
        if not spec.applies_to(kind):
            continue
        lines.append(f"# {spec.label}{' (bắt buộc)' if spec.required_in(kind) else ''}: {spec.help}")
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
        return ["mo_hinh_dang_ky: 633"]
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
