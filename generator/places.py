"""The registry of administrative units (content/places.yml).

Hanoi had 30 district-level units until 30 June 2025; from 1 July 2025 the district level
is gone and new wards/communes (often reusing old names) replace the old ones. The
registry keeps both periods and the `formed_from` crosswalk between them. The file is
generated (`dvk places update`, generator/placesdata.py) and read once per run here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .load import decode_text, display_path
from .model import Problem, Place
from .schema import ID_RE
from .text import HIDDEN_CHARACTERS, has_hidden_characters, nfc, slugify
from .vocab import DISTRICT_TYPES, WARD_TYPES
from .yamlsafe import LineDict, LineList, YamlProblem, parse_yaml

REFORM_DATE = dt.date(2025, 7, 1)
PLACE_KEYS = ("id", "name", "type", "district", "code", "lat", "lon", "from", "until", "formed_from")
MAX_PLACE_NODES = 400_000  # a whole province's units; still bounded against hostile input
_CODE_RE = re.compile(r"^[0-9]{2,6}$")
# Slugs of the unit types an editor may write before a name ("phường Nhật Tân", "xã Vân Canh").
_TYPE_PREFIXES = sorted(((slugify(t) + "-", t) for t in DISTRICT_TYPES + WARD_TYPES), key=lambda p: -len(p[0]))
# "p. Nhật Tân", "x. Vân Canh", "q. Tây Hồ", "tt Trâu Quỳ": the short forms on envelopes.
_SHORT_PREFIXES = (("p-", "phường"), ("x-", "xã"), ("q-", "quận"), ("h-", "huyện"), ("tt-", "thị trấn"), ("tx-", "thị xã"))


@dataclass
class Lookup:
    """What a value written by an editor names: one place, several candidates, or nothing."""

    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)


@dataclass
class PlaceRegistry:
    places: dict[str, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _by_key: dict[str, list[Place]] | None = field(default=None, repr=False)

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def districts(self) -> list[Place]:
        return [p for p in self.places.values() if p.is_district]

    def wards_of(self, district_id: str) -> list[Place]:
        return [p for p in self.places.values() if p.district == district_id]

    def new_units(self) -> list[Place]:
        return [p for p in self.places.values() if p.is_new]

    def successors(self, place_id: str) -> list[Place]:
        """Post-2025 units formed (wholly or partly) from this unit or its wards."""
        sources = {place_id} | {w.id for w in self.wards_of(place_id)}
        return [p for p in self.places.values() if sources & set(p.formed_from)]

    def _index(self) -> dict[str, list[Place]]:
        """Every unit under the slug of its id, its name and its label (built once)."""
        if self._by_key is None:
            index: dict[str, list[Place]] = {}
            for place in self.places.values():
                keys = {place.id, slugify(place.name), slugify(place.label)}
                if place.district:
                    district = self.places.get(place.district)
                    if district is not None:  # "Minh Khai, Bắc Từ Liêm" / "phường Minh Khai quận Bắc Từ Liêm"
                        keys |= {slugify(f"{place.name} {district.name}"), slugify(f"{place.label} {district.label}")}
                for key in keys:
                    index.setdefault(key, []).append(place)
            self._by_key = index
        return self._by_key

    def resolve(self, value: str, want_district: bool | None = None) -> Lookup:
        """Forgiving lookup: id, name or label in any case, with or without marks.

        Tone placement ("Hòa"/"Hoà") folds away with the marks. A type prefix
        ("phường X", "xã X", "p. X") narrows to that type. `want_district` narrows to
        district-level (True) or commune-level (False) units, so "Tây Hồ" as a ward is
        the new phường Tây Hồ (tay-ho-2025), as a district the old quận.
        """
        exact = self.places.get(value)
        if exact is not None:
            return Lookup(exact)
        key = slugify(nfc(str(value)))
        if not key:
            return Lookup()
        found = self._filter(self._index().get(key, []), want_district, None)
        if not found:
            for prefix, unit_type in _TYPE_PREFIXES + list(_SHORT_PREFIXES):
                if key.startswith(prefix) and len(key) > len(prefix):
                    found = self._filter(self._index().get(key[len(prefix):], []), want_district, unit_type)
                    if found:
                        break
        if len(found) > 1 and want_district is None:  # no role given: a district's name names it
            districts = [p for p in found if p.is_district]
            found = districts if len(districts) == 1 else found
        if len(found) == 1:
            return Lookup(found[0])
        return Lookup(None, sorted(found, key=lambda p: (p.is_new, p.code, p.id)))

    @staticmethod
    def _filter(places: list[Place], want_district: bool | None, unit_type: str | None) -> list[Place]:
        chosen = [p for p in places if want_district is None or p.is_district == want_district]
        if unit_type is not None:
            chosen = [p for p in chosen if p.type == unit_type]
        return list(dict.fromkeys(chosen))

    def match(self, value: str, want_district: bool | None = None) -> Place | None:
        """The one unit a value names (see resolve), or None when none or several."""
        return self.resolve(value, want_district).place

    def nearest(self, value: str, want_district: bool, n: int = 1) -> str | None:
        """The closest id of the wanted level, for a "did you mean" hint."""
        found = self.nearest_ids(value, want_district, n)
        return found[0] if found else None

    def nearest_ids(self, value: str, want_district: bool, n: int = 3) -> list[str]:
        key = slugify(nfc(str(value)))
        for prefix, _ in _TYPE_PREFIXES:
            if key.startswith(prefix):
                key = key[len(prefix):]
                break
        pool: dict[str, str] = {}
        for index_key, places in self._index().items():
            for place in places:
                if place.is_district == want_district:
                    pool.setdefault(index_key, place.id)
        found = difflib.get_close_matches(key, list(pool), n=n * 3, cutoff=0.6)
        return list(dict.fromkeys(pool[k] for k in found))[:n]

    def describe(self, place: Place) -> str:
        """"phường Minh Khai (quận Bắc Từ Liêm)" / "phường Hoàn Kiếm (từ 1/7/2025)"."""
        if place.district and self.places.get(place.district):
            return f"{place.label} ({self.places[place.district].label})"
        if place.is_new:
            return f"{place.label} (từ 1/7/2025)"
        return place.label


def count_units(registry: PlaceRegistry) -> list[tuple[str, int]]:
    """The figures the registry is checked by (dvk stats, dvk places stats), in report order."""
    places = list(registry.places.values())
    old_wards = [p for p in places if p.district is not None]
    new_units = [p for p in places if p.is_new]
    covered = {pid for p in new_units for pid in p.formed_from}
    return [
        ("Quận, huyện, thị xã (trước 1/7/2025)", sum(1 for p in places if p.is_district)),
        ("Phường, xã, thị trấn (trước 1/7/2025)", len(old_wards)),
        ("Phường, xã, đặc khu từ 1/7/2025", len(new_units)),
        ("Đơn vị mới thiếu đơn vị tiền thân", sum(1 for p in new_units if not p.formed_from)),
        ("Phường, xã cũ chưa chuyển sang đơn vị mới", sum(1 for p in old_wards if p.id not in covered)),
    ]


def _parse_date(value, path, line, key, problems) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(path, line, key, f'ngày "{value}" không hợp lệ', "viết dạng 2025-07-01"))
        return None


def _read_code(item: LineDict, path: str, problems: list[Problem]) -> str:
    value = item.get("code")
    if value is None:
        return ""
    if not isinstance(value, str) or not _CODE_RE.match(value):
        problems.append(Problem(path, item.line_of("code"), "code", f'mã "{value}" không hợp lệ', 'viết mã số trong ngoặc kép, giữ số 0 ở đầu, ví dụ code: "00070"'))
        return ""
    return value


def _read_coordinate(item: LineDict, key: str, limit: float, path: str, problems: list[Problem]) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or abs(value) > limit:
        problems.append(Problem(path, item.line_of(key), key, f'tọa độ "{value}" không hợp lệ', f"viết số thập phân từ -{limit:g} đến {limit:g}, ví dụ 21.0285"))
        return None
    return float(value)


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
    elif has_hidden_characters(item["name"]):
        problems.append(Problem(path, item.line_of("name"), "name", *HIDDEN_CHARACTERS))
    elif unit_id != slugify(name) and not unit_id.startswith(slugify(name) + "-"):
        problems.append(Problem(path, item.line_of("id"), "id", f'"{unit_id}" không khớp tên "{name}"', f"id là tên không dấu: {slugify(name)} (thêm hậu tố -2025 hoặc -<quận> nếu trùng)"))
    formed = item.get("formed_from") or []
    if not isinstance(formed, list) or not all(isinstance(x, str) for x in formed):
        problems.append(Problem(path, item.line_of("formed_from"), "formed_from", "phải là danh sách id"))
        formed = []
    lat = _read_coordinate(item, "lat", 90, path, problems)
    lon = _read_coordinate(item, "lon", 180, path, problems)
    if (lat is None) != (lon is None):
        problems.append(Problem(path, item.line, "lat", "cần cả `lat` và `lon` (hoặc bỏ cả hai)"))
        lat = lon = None
    return Place(
        id=unit_id,
        name=name,
        type=unit_type,
        district=item.get("district") if isinstance(item.get("district"), str) else None,
        start=_parse_date(item.get("from"), path, item.line_of("from"), "from", problems),
        end=_parse_date(item.get("until"), path, item.line_of("until"), "until", problems),
        formed_from=tuple(formed),
        code=_read_code(item, path, problems),
        lat=lat,
        lon=lon,
    )


def load_places(places_file: Path, root: Path) -> PlaceRegistry:
    """Read and check content/places.yml; faults become problems."""
    registry = PlaceRegistry()
    path = display_path(places_file, root)
    problems = registry.problems
    try:
        text, bad_line = decode_text(places_file.read_bytes())
    except OSError:
        problems.append(Problem(path, 0, "", "không tìm thấy sổ đơn vị hành chính", "tạo bằng lệnh: dvk places update"))
        return registry
    if text is None:
        problems.append(Problem(path, bad_line, "", "tệp không phải mã UTF-8 hợp lệ", "lưu lại với bảng mã UTF-8"))
        return registry
    try:
        data, duplicates = parse_yaml(text, max_nodes=MAX_PLACE_NODES)
    except YamlProblem as problem:
        problems.append(Problem(path, problem.line, problem.key, problem.message))
        return registry
    problems.extend(Problem(path, line, key, "khóa bị khai báo hai lần") for line, key in duplicates)
    if not isinstance(data, LineDict):
        problems.append(Problem(path, 1, "", "tệp phải có hai mục `districts:` và `wards:`"))
        return registry
    lines: dict[str, int] = {}
    codes: dict[str, str] = {}
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
            code_key = f"{'new' if place.is_new else 'old'}:{place.code}"
            if place.code and code_key in codes:
                problems.append(Problem(path, item.line_of("code"), "code", f'mã "{place.code}" trùng với `{codes[code_key]}` cùng thời kỳ', "tạo lại tệp: dvk places update"))
            codes.setdefault(code_key, place.id)
            registry.places[place.id] = place
            lines[place.id] = item.line_of("id")
    _check_links(registry, path, lines)
    return registry


def _check_links(registry: PlaceRegistry, path: str, lines: dict[str, int]) -> None:
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
