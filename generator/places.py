"""The registry of administrative units (content/places.yml).

Hanoi had 30 district-level units until 30 June 2025; from 1 July 2025 the district level
is gone and new wards/communes (often reusing old names) replace the old ones. The
registry keeps both periods and the `formed_from` crosswalk between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .load import decode_text, display_path
from .model import ERROR, Problem, Place
from .schema import ID_RE
from .text import nfc, slugify
from .vocab import DISTRICT_TYPES, WARD_TYPES
from .yamlsafe import LineDict, LineList, YamlProblem, parse_yaml

REFORM_DATE = dt.date(2025, 7, 1)
PLACE_KEYS = ("id", "name", "type", "district", "from", "until", "formed_from")


@dataclass
class PlaceRegistry:
    places: dict[str, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def districts(self) -> list[Place]:
        return [p for p in self.places.values() if p.is_district]

    def wards_of(self, district_id: str) -> list[Place]:
        return [p for p in self.places.values() if p.district == district_id]

    def successors(self, place_id: str) -> list[Place]:
        """Post-2025 units formed (wholly or partly) from this unit or its wards."""
        sources = {place_id} | {w.id for w in self.wards_of(place_id)}
        return [p for p in self.places.values() if sources & set(p.formed_from)]

    def match(self, value: str) -> Place | None:
        """Exact id or the slug of a name ("Tây Hồ" -> tay-ho)."""
        return self.places.get(value) or self.places.get(slugify(value))

    def nearest(self, value: str, want_district: bool) -> str | None:
        import difflib

        pool = [p.id for p in self.places.values() if p.is_district == want_district]
        found = difflib.get_close_matches(slugify(value), pool, n=1, cutoff=0.6)
        return found[0] if found else None


def _parse_date(value, path, line, key, problems) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(path, line, key, f'ngày "{value}" không hợp lệ', "viết dạng 2025-07-01"))
        return None


def _read_unit(item, section: str, path: str, problems: list[Problem]) -> Place | None:
    if not isinstance(item, LineDict):
        problems.append(Problem(path, getattr(item, "line", 0), section, "mỗi đơn vị phải là một mục `{id, name, type}`"))
        return None
    for key in item:
        if key not in PLACE_KEYS:
            problems.append(Problem(path, item.line_of(key), key, "khóa không được hỗ trợ", "dùng: " + ", ".join(PLACE_KEYS)))
    ok = True
    for key in ("id", "name", "type"):
        if not isinstance(item.get(key), str) or not item.get(key).strip():
            problems.append(Problem(path, item.line, key, "thiếu hoặc để trống", f"ghi `{key}` cho đơn vị này"))
            ok = False
    if not ok:
        return None
    unit_id, name, unit_type = item["id"], nfc(item["name"].strip()), item["type"].strip()
    allowed = DISTRICT_TYPES if section == "districts" else WARD_TYPES
    if unit_type not in allowed:
        problems.append(Problem(path, item.line_of("type"), "type", f'"{unit_type}" không hợp lệ ở mục {section}', "dùng một trong: " + ", ".join(allowed)))
    if not ID_RE.match(unit_id):
        problems.append(Problem(path, item.line_of("id"), "id", f'"{unit_id}" không hợp lệ', f"chỉ chữ thường không dấu, số và '-', ví dụ {slugify(name)}"))
    elif not unit_id.startswith(slugify(name)):
        problems.append(Problem(path, item.line_of("id"), "id", f'"{unit_id}" không khớp tên "{name}"', f"id là tên không dấu: {slugify(name)} (thêm hậu tố -2025 hoặc -<quận> nếu trùng)"))
    formed = item.get("formed_from") or []
    if not isinstance(formed, list) or not all(isinstance(x, str) for x in formed):
        problems.append(Problem(path, item.line_of("formed_from"), "formed_from", "phải là danh sách id"))
        formed = []
    return Place(
        id=unit_id,
        name=name,
        type=unit_type,
        district=item.get("district") if isinstance(item.get("district"), str) else None,
        start=_parse_date(item.get("from"), path, item.line_of("from"), "from", problems),
        end=_parse_date(item.get("until"), path, item.line_of("until"), "until", problems),
        formed_from=tuple(formed),
    )


def load_places(places_file: Path, root: Path) -> PlaceRegistry:
    """Read and check content/places.yml; faults become problems."""
    registry = PlaceRegistry()
    path = display_path(places_file, root)
    problems = registry.problems
    try:
        text, bad_line = decode_text(places_file.read_bytes())
    except OSError:
        problems.append(Problem(path, 0, "", "không tìm thấy sổ đơn vị hành chính", "tạo content/places.yml"))
        return registry
    if text is None:
        problems.append(Problem(path, bad_line, "", "tệp không phải mã UTF-8 hợp lệ", "lưu lại với bảng mã UTF-8"))
        return registry
    try:
        data, duplicates = parse_yaml(text)
    except YamlProblem as problem:
        problems.append(Problem(path, problem.line, problem.key, problem.message))
        return registry
    problems.extend(Problem(path, line, key, "khóa bị khai báo hai lần") for line, key in duplicates)
    if not isinstance(data, LineDict):
        problems.append(Problem(path, 1, "", "tệp phải có hai mục `districts:` và `wards:`"))
        return registry
    lines: dict[str, int] = {}
    for section in ("districts", "wards"):
        items = data.get(section)
        if not isinstance(items, LineList):
            problems.append(Problem(path, data.line_of(section, 1), section, "thiếu hoặc không phải danh sách"))
            continue
        for item in items:
            place = _read_unit(item, section, path, problems)
            if place is None:
                continue
            if place.id in registry.places:
                problems.append(Problem(path, item.line_of("id"), "id", f'id "{place.id}" trùng với dòng {lines[place.id]}', "thêm hậu tố -2025 hoặc -<id quận> để phân biệt"))
                continue
            registry.places[place.id] = place
            lines[place.id] = item.line_of("id")
    _check_links(registry, data, path, lines)
    return registry


def _check_links(registry: PlaceRegistry, data: LineDict, path: str, lines: dict[str, int]) -> None:
    for place in registry.places.values():
        line = lines[place.id]
        if place.district is not None:
            parent = registry.places.get(place.district)
            if parent is None or not parent.is_district:
                registry.problems.append(Problem(path, line, "district", f'"{place.district}" không phải quận/huyện trong sổ'))
        elif not place.is_district and not place.is_new:
            registry.problems.append(Problem(path, line, "district", f"{place.label} cần `district` (trước 2025) hoặc `from: 2025-07-01`"))
        for source in place.formed_from:
            if source not in registry.places:
                registry.problems.append(Problem(path, line, "formed_from", f'"{source}" không có trong sổ'))
