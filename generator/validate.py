"""Validate stage: raw records -> typed entries, or the full list of problems.

Per file: ids from file names, schema checks, places, images, text hygiene. Across files
(after everything is loaded): duplicate ids and references that must resolve. Nothing
short-circuits, so an editor sees every fault of a run at once.
"""

from __future__ import annotations

import copy
import dataclasses
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .check import Checker
from .derive import entry_sort_key
from .imagecheck import ImageChecker, ImageInfo
from .load import FRONT_MATTER_DROPPED, EntryCache, RawEntry, display_path, find_entry_files, find_stray_entries, load_entries
from . import schema as S
from .model import ERROR, EVENT_KIND, RECORDS, WARNING, Award, ContestResult, Entry, Event, Image, Model, Place, Problem
from .places import PlaceRegistry, load_places
from .privacy import contact_key, find_personal_data
from .schema import COLLECTIONS, ID_RE
from .stamps import stat_stamp
from .render.body import find_markup_flood
from .render.projection import digest_entry
from .text import HIDDEN_CHARACTERS, find_hidden_character, format_number, nfc, slugify, uses_new_tone_placement, uses_old_tone_placement
from .vocab import EVENT_KINDS, KINDS

KIND_NAMES = {t.id: t.label for vocab in (KINDS, EVENT_KINDS) for t in vocab}


@dataclass
class Content:
    """Everything a build needs: valid entries, the place registry, and all problems."""

    root: Path
    content_dir: Path
    places: PlaceRegistry
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_count: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


@dataclass
class _Checked:
    """One file's validation result, reusable while its inputs are unchanged."""

    raw: RawEntry
    places: PlaceRegistry
    image_stamps: tuple
    checker: Checker
    entry: Entry | None


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (path, None)
    return (path, *stat_stamp(stat))


class Validator:
    """Runs load + validate, keeping results between runs (for `mkdocs serve`).

    A file whose bytes, places registry and images are unchanged is not checked again;
    only the cross-file checks (ids, references) run over everything, and they are cheap.
    """

    def __init__(self) -> None:
        self.entry_cache = EntryCache()
        self.images = ImageChecker()
        self._places: tuple[tuple, PlaceRegistry] | None = None
        self._checked: dict[Path, _Checked] = {}
        self.checks = 0  # files checked anew (not from the cache), for build counters
        self.changed: set[Path] = set()  # files checked anew since the state on disk (build/persist.py)

    def load_places(self, places_file: Path, root: Path) -> PlaceRegistry:
        stamp = _stamp(places_file)
        if self._places is None or self._places[0] != stamp:
            self._places = (stamp, load_places(places_file, root))
        return self._places[1]

    def check_file(self, raw: RawEntry, content_dir: Path, places: PlaceRegistry) -> _Checked:
        cached = self._checked.get(raw.abs_path)
        if (
            cached is not None
            and cached.raw is raw
            and cached.places is places
            and all(_stamp(stamp[0]) == stamp for stamp in cached.image_stamps)
        ):
            return cached
        if raw.meta is FRONT_MATTER_DROPPED:  # kept by the cache on disk without it
            raw = self.entry_cache.read_again(raw)
        self.checks += 1
        checker = Checker(raw.path, raw.abs_path, content_dir, places, self.images)
        entry = build_entry(raw, checker)
        if entry is not None:
            # digested here, once: in a first build this runs in the validation pool, and the
            # digests travel with the entry to the build and to both background runs (each
            # digested all 10,000 entries again, 1 s of CPU between the three); so does the
            # sort key (derive.py), which the build's own process made for every entry
            digest_entry(entry)
            entry_sort_key(entry)
        checker.forget_texts()
        stamps = tuple(_stamp(info.path) for info in checker.image_infos)
        result = _Checked(raw, places, stamps, checker, entry)
        self._checked[raw.abs_path] = result
        self.changed.add(raw.abs_path)
        return result

    def __getstate__(self) -> dict:
        """What the cache on disk keeps (build/persist.py): each checked file's raw entry
        without its front matter (the line-keeping YAML was a third of the objects every
        build unpickled at 10,000 entries, and only the check reads it); a file checked
        again is read again first (check_file)."""
        light: dict[int, RawEntry] = {}

        def lighten(raw: RawEntry) -> RawEntry:
            if raw.meta is None or raw.meta is FRONT_MATTER_DROPPED:
                return raw
            if id(raw) not in light:  # one copy for both dicts: check_file compares with `is`
                light[id(raw)] = dataclasses.replace(raw, meta=FRONT_MATTER_DROPPED)
            return light[id(raw)]

        state = dict(self.__dict__)
        state["_checked"] = {path: dataclasses.replace(checked, raw=lighten(checked.raw)) for path, checked in self._checked.items()}
        state["entry_cache"] = self.entry_cache.without_front_matter(lighten)
        return state

    def is_checked(self, abs_path: Path, places: PlaceRegistry | None = None) -> bool:
        """Whether the file has a result (checked against `places`, when given)."""
        checked = self._checked.get(abs_path)
        return checked is not None and (places is None or checked.places is places)

    def adopt(self, stamp, raw: RawEntry, checked: _Checked, places: PlaceRegistry) -> None:
        """Take a file checked in another process (checkpool.py) into the caches, with
        this validator's registry and image checker (the pickled copies are dropped)."""
        checked.places = checked.checker.places = places
        checked.checker.images = self.images
        self.entry_cache.put(raw.abs_path, stamp, raw)
        self._checked[raw.abs_path] = checked
        self.changed.add(raw.abs_path)
        self.checks += 1

    def changed_files(self) -> list[tuple[Path, tuple | None, RawEntry, _Checked]]:
        """(path, read stamp, raw, result) of each file checked anew since the state on
        disk, without the registry and image checker every result shares (persist.py)."""
        out = []
        for path in sorted(self.changed & self._checked.keys()):
            checked = self._checked[path]
            checker = copy.copy(checked.checker)
            checker.places = checker.images = None
            out.append((path, self.entry_cache.stamp_of(path), checked.raw, dataclasses.replace(checked, places=None, checker=checker)))
        return out

    def restore(self, files: list[tuple[Path, tuple | None, RawEntry, _Checked]]) -> None:
        """Take back `changed_files` saved with this validator's registry (persist.py):
        as checked here, still counted as changed since the state on disk."""
        places = self._places[1] if self._places is not None else None
        for path, stamp, raw, checked in files:
            checked.places = checked.checker.places = places
            checked.checker.images = self.images
            self.entry_cache.put(path, stamp, raw)
            self._checked[path] = checked
            self.changed.add(path)

    def run(self, root: Path, content_dir: Path | None = None, workers: int = 1) -> Content:
        root = root.resolve()
        content_dir = (content_dir or root / "content").resolve()
        places = self.load_places(content_dir / "places.yml", root)
        content = Content(root, content_dir, places, problems=list(places.problems))
        if not content_dir.is_dir():
            content.problems.append(Problem("content", 0, "", "không tìm thấy thư mục content/", "chạy lệnh từ thư mục gốc của dự án"))
            return content
        files = find_entry_files(content_dir)  # one walk of content/ (10,000 files) for both
        if workers > 1:  # a first run over many files: parsed and checked on every core
            from .checkpool import check_files_in_pool

            check_files_in_pool(self, root, content_dir, places, workers, files)
        raws = load_entries(content_dir, root, self.entry_cache, files)
        content.file_count = len(raws)
        for stray in find_stray_entries(content_dir):
            content.problems.append(Problem(display_path(stray, root), 1, "", "tệp mục nằm ngoài content/models/ và content/events/ nên bị bỏ qua", "chuyển tệp vào content/models/ (mô hình, điển hình) hoặc content/events/ (sự kiện)", WARNING))
        checkers: dict[str, Checker] = {}
        for index, raw in enumerate(raws):
            checked = self.check_file(raw, content_dir, places)
            raw = raws[index] = checked.raw  # (the file read again, when it had to be: check_file)
            content.problems.extend(raw.problems)
            checkers[raw.path] = checked.checker
            content.problems.extend(checked.checker.problems)
            if checked.entry is not None and not raw.problems and not any(p.severity == ERROR for p in checked.checker.problems):
                content.entries.append(checked.entry)
        if len(self._checked) > len(raws):  # forget deleted and renamed files (the cache is saved to disk)
            present = {raw.abs_path for raw in raws}
            self._checked = {path: checked for path, checked in self._checked.items() if path in present}
            self.checks += 1  # changed: worth saving
        content.problems.extend(check_duplicate_ids(raws))
        content.problems.extend(check_references(raws, checkers))
        # places.yml first: when it cannot be read, every entry's ward and district fail
        # with it, and its own line (the cause) came last, after dozens of those
        registry = display_path(content_dir / "places.yml", root)
        content.problems.sort(key=lambda problem: (problem.path != registry, problem.sort_key()))
        return content


def validate_content(root: Path, content_dir: Path | None = None, workers: int = 1) -> Content:
    """One-shot validation of a project (on `workers` processes when there are many files)."""
    return Validator().run(root, content_dir, workers)


# -- one file -----------------------------------------------------------------------


def build_entry(raw: RawEntry, checker: Checker) -> Entry | None:
    """Check one raw entry against its collection's schema; return the typed entry."""
    if not ID_RE.match(raw.id):
        suggestion = slugify(raw.id) or "ten-muc"
        checker.error(1, "", f'tên tệp "{raw.abs_path.name}" không hợp lệ làm id', f"đổi tên tệp thành {suggestion}.md (chữ thường không dấu, số, dấu '-')")
    if raw.meta is None:
        return None
    meta = raw.meta
    specs = COLLECTIONS[raw.collection]
    values = checker.check_keys(meta, specs, "")
    kind = values.get("kind") if raw.collection == "models" else EVENT_KIND
    checker.kind_id = kind.id if kind is not None else ""
    if kind is not None:
        check_kind_specific_keys(meta, kind.id, specs, checker)
    check_place_pair(meta, values, checker)
    body = check_body(raw, checker)
    check_tone_consistency(raw, checker, body)
    check_personal_data(raw, checker, values.get("public_contact", []))
    check_date_ranges(meta, values, specs, checker)
    if any(p.severity == ERROR for p in checker.problems):
        return None
    if raw.collection == "events":
        return build_record(Event, specs, values, id=raw.id, path=raw.path, body=body, body_line=raw.body_line, kind=EVENT_KIND)
    return build_record(Model, specs, values, id=raw.id, path=raw.path, body=body, body_line=raw.body_line)


def build_record(cls: type, specs: tuple[S.Spec, ...], values: dict, **extra):
    """A typed record from checked values, key by key as the schema declares them;
    `extra` sets what the schema does not declare (or overrides a key's conversion)."""
    fields = {spec.key: convert_value(spec.type, values[spec.key]) for spec in specs if spec.key in values and spec.key not in extra}
    return cls(**fields, **extra)


def convert_value(kind: S.Type, value):
    """Checked value -> record value: lists item by item, nested records to their class."""
    if isinstance(kind, S.ListOf):
        return [convert_value(kind.item, item) for item in value]
    if isinstance(kind, S.Record):
        return RECORD_BUILDERS[kind.name](kind.specs, value)
    return value


def build_image(specs, values: dict) -> Image:
    info: ImageInfo = values["src"]
    return build_record(Image, specs, values, src=info.rel, abs_path=info.path)


def build_award(specs, values: dict) -> Award:
    info: ImageInfo | None = values.get("image")
    # the award's own caption/credit/illustrative describe its image (caption defaults to the title)
    image = Image(src=info.rel, caption=values.get("caption") or values["title"], credit=values.get("credit", ""), illustrative=values.get("illustrative", False), abs_path=info.path) if info else None
    return build_record(Award, specs, values, image=image)


def build_result(specs, values: dict) -> ContestResult:
    recipient = values["recipient"]
    return build_record(ContestResult, specs, values, recipient_id=recipient if ID_RE.match(recipient) else "")


RECORD_BUILDERS = {
    "image": build_image,
    "award": build_award,
    "result": build_result,
    "source": lambda specs, values: build_record(RECORDS["source"], specs, values),
}
assert set(RECORD_BUILDERS) == set(RECORDS), "every record of the schema needs a builder"


def check_kind_specific_keys(meta, kind_id: str, specs, checker: Checker) -> None:
    """Keys declared for some kinds only (`subject`, `position`: exemplars) are errors
    elsewhere, and required where the schema says so."""
    for spec in specs:
        kinds = " hoặc ".join(f"{KIND_NAMES.get(k, k)} (kind: {k})" for k in spec.only_for)
        if not spec.applies_to(kind_id) and spec.key in meta:
            checker.error(meta.line_of(spec.key), spec.key, f"chỉ dùng cho {kinds}", f"xóa dòng này hoặc đổi kind thành {spec.only_for[0]}")
        elif kind_id in spec.required_for and meta.get(spec.key) in (None, ""):
            checker.error(meta.line_of("kind"), spec.key, f"{KIND_NAMES.get(kind_id, kind_id).lower()} cần khóa {spec.key}", f"thêm dòng {spec.key}: {spec.type.describe()}")


def check_date_ranges(meta, values: dict, specs, checker: Checker) -> None:
    """A range declared in the schema (date .. end_date) must not end before it starts."""
    for spec in specs:
        end_key = getattr(spec.type, "until", "")
        if end_key and spec.key in values and end_key in values and values[end_key] < values[spec.key]:
            checker.error(meta.line_of(end_key), end_key, f"ngày kết thúc trước ngày bắt đầu ({spec.key})", f"kiểm tra lại {end_key}")


def check_place_pair(meta, values: dict, checker: Checker) -> None:
    """At least one place; a ward given with a district must belong to it."""
    if "district" not in meta and "ward" not in meta:
        checker.error(meta.line, "district", "thiếu nơi thực hiện", "ghi district (quận/huyện) hoặc ward (phường/xã), hoặc cả hai")
        return
    district: Place | None = values.get("district")
    ward: Place | None = values.get("ward")
    if district and ward:
        if ward.district is None:
            checker.error(meta.line_of("ward"), "ward", f"{ward.label} (từ 1/7/2025) không thuộc quận nào", f"bỏ dòng district, hoặc dùng phường cũ của {district.label}")
        elif ward.district != district.id:
            owner = checker.places.get(ward.district)
            owner_label = owner.label if owner else ward.district
            checker.error(meta.line_of("ward"), "ward", f"{ward.label} không thuộc {district.label} mà thuộc {owner_label}", f"sửa district thành {ward.district} hoặc chọn phường của {district.label}")


def check_body(raw: RawEntry, checker: Checker) -> str:
    body = raw.body
    if not unicodedata.is_normalized("NFC", body):
        for offset, line in enumerate(body.split("\n")):
            if not unicodedata.is_normalized("NFC", line):
                checker.warn(raw.body_line + offset, "nội dung", "chữ không ở dạng Unicode NFC (dấu tổ hợp)", "gõ lại bằng bảng mã Unicode dựng sẵn; dvk đã tự chuẩn hóa")
                break
        body = nfc(body)
    hidden = find_hidden_character(body)
    if hidden is not None:
        offset, char = hidden
        checker.error(raw.body_line + offset, "nội dung", f"{HIDDEN_CHARACTERS[0]} (U+{ord(char):04X})", HIDDEN_CHARACTERS[1])
    flood = find_markup_flood(body)
    if flood:
        char, limit, offset = flood
        checker.error(raw.body_line + offset, "nội dung", f"câu chuyện có hơn {format_number(limit)} ký tự “{char}” — không giống một bài viết (thường do dán nhầm dữ liệu)", f"xóa các ký tự “{char}” thừa từ dòng này trở đi")
    return body.strip("\n")


def check_personal_data(raw: RawEntry, checker: Checker, public: list[str]) -> None:
    """Phone numbers, ID numbers and e-mails in any text or the story are errors unless listed in public_contact."""
    line_of = raw.meta.line_of("public_contact") if raw.meta is not None and "public_contact" in raw.meta else 1
    allowed = set()
    for value in public:
        found = find_personal_data(value)
        if len(found) != 1 or found[0].key != contact_key(value):
            checker.error(line_of, "public_contact", f'"{value}" không phải một số điện thoại hay e-mail', "mỗi dòng ghi đúng một số điện thoại hoặc một e-mail, ví dụ \"024 3825 1234\"")
        allowed.update(f.key for f in found)
    texts = [(line, key, text) for line, key, text in checker.keyed_texts if not key.startswith("public_contact")]
    texts += [(line, "nội dung", text) for line, text in _paragraphs(nfc(raw.body), raw.body_line)]
    for line, key, text in texts:
        for finding in find_personal_data(text):
            if finding.key not in allowed:
                checker.error(line + (finding.line if key == "nội dung" else 0), key, f"có {finding.kind} {finding.masked} — thông tin cá nhân không được công bố", f"xóa đi; nếu đây là liên hệ công khai đã được đồng ý (ví dụ đường dây nóng của đơn vị), ghi đúng {finding.kind} đó vào khóa public_contact")


def _paragraphs(body: str, first_line: int):
    """(line of its first line, text) of each paragraph: a reader sees a number broken
    over two lines of one paragraph as one number."""
    start, lines = first_line, []
    for index, line in enumerate(body.split("\n")):
        if line.strip():
            if not lines:
                start = first_line + index
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines)
            lines = []
    if lines:
        yield start, "\n".join(lines)


def check_tone_consistency(raw: RawEntry, checker: Checker, body: str) -> None:
    """Warn when one file mixes "hoà" and "hòa" styles (search folds both, readers notice)."""
    lines = list(checker.texts) + [(raw.body_line + i, text) for i, text in enumerate(body.split("\n"))]
    # One search of the whole file settles almost every file (a pair never spans a line
    # break); searching line by line was an eighth of validating 10,000 entries.
    whole = "\n".join(text for _, text in lines)
    if not (uses_old_tone_placement(whole) and uses_new_tone_placement(whole)):
        return
    old_line = new_line = 0
    for line, text in lines:
        if not old_line and uses_old_tone_placement(text):
            old_line = line
        if not new_line and uses_new_tone_placement(text):
            new_line = line
    if old_line and new_line:
        checker.warn(old_line, "dấu thanh", f"tệp dùng cả hai kiểu đặt dấu (kiểu cũ ở dòng {old_line}, kiểu mới ở dòng {new_line})", "thống nhất một kiểu trong tệp, ví dụ hòa, thủy, ủy")


# -- across files -----------------------------------------------------------------------


def check_duplicate_ids(raws: list[RawEntry]) -> list[Problem]:
    by_id: dict[str, list[RawEntry]] = defaultdict(list)
    for raw in raws:
        by_id[raw.id].append(raw)
    problems = []
    for entry_id, group in by_id.items():
        if len(group) < 2:
            continue
        for raw in group:
            others = ", ".join(r.path for r in group if r is not raw)
            problems.append(Problem(raw.path, 1, "id", f'id "{entry_id}" trùng với {others}', "đổi tên một trong các tệp; id là duy nhất cho mọi loại mục"))
    return problems


def check_references(raws: list[RawEntry], checkers: dict[str, Checker]) -> list[Problem]:
    """Every reference must name an existing entry of the right kind.

    The kind is the one the target's own check normalised ("Điển hình" -> exemplar), never
    its raw text, so a forgiving match in one file cannot make another file fail; a target
    whose kind is itself invalid is reported there, not at every file pointing to it.
    """
    kinds: dict[str, str] = {}
    for raw in raws:
        if raw.meta is None:
            continue
        checker = checkers.get(raw.path)
        kinds.setdefault(raw.id, checker.kind_id if checker is not None else "")
    problems = []
    for checker in checkers.values():
        if not checker.references:
            continue  # (a Path per file here was a fifth of a one-edit validation at 10,000 entries)
        own_id = Path(checker.path).stem
        for ref in checker.references:
            if ref.target == own_id:
                problems.append(Problem(ref.path, ref.line, ref.key, "mục không thể tham chiếu chính nó", "xóa id này"))
            elif ref.target not in kinds:
                near = _nearest(ref.target, kinds)
                hint = f"có phải ý bạn là `{near}`?" if near else "id là tên tệp không có .md trong content/models hoặc content/events"
                problems.append(Problem(ref.path, ref.line, ref.key, f'không tìm thấy mục có id "{ref.target}"', hint))
            elif kinds[ref.target] and kinds[ref.target] not in ref.kinds:
                want = "sự kiện (content/events/)" if ref.kinds == ("event",) else "mô hình hoặc điển hình"
                problems.append(Problem(ref.path, ref.line, ref.key, f'"{ref.target}" không phải {want}', "chọn id phù hợp"))
    return problems


def _nearest(target: str, ids) -> str | None:
    import difflib

    found = difflib.get_close_matches(target, list(ids), n=1, cutoff=0.6)
    return found[0] if found else None
