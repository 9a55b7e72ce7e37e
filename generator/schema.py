"""The entry schema, declared once (Astro-style collections in Python).

Each key of a model/exemplar or an event is a `Spec`: its type, whether it is required,
its Vietnamese label and help, and whether it is shown among an entry's facts. This is the
only place a field is declared: the typed records (model.py), the validator's mapping,
`dvk new` (flags, prompts, template), the JSON Schema, the facts on entry pages and in the
book (facts.py) and the README's field tables (docs.py) are all derived from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .vocab import EVENT_KINDS, EVENT_TYPES, FIELDS, KINDS, LEVELS, RANKS, SUBJECTS, Vocabulary

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIGURE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SUMMARY_MAX = 300
TITLE_MAX = 200
SHORT_MAX = 300
YEAR_MIN = 2000


def max_year() -> int:
    """Entries may be registered for next year at the latest."""
    return dt.date.today().year + 1


@dataclass(frozen=True)
class Type:
    """Base of value types; `json` gives the JSON Schema fragment."""

    def json(self) -> dict:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Type):
    max_len: int = SHORT_MAX
    multiline: bool = False

    def json(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": self.max_len}

    def describe(self) -> str:
        return f"chữ, tối đa {self.max_len} ký tự"


@dataclass(frozen=True)
class Choice(Type):
    vocab: Vocabulary

    def json(self) -> dict:
        return {"type": "string", "enum": self.vocab.ids()}

    def describe(self) -> str:
        return "một trong: " + ", ".join(f"`{t.id}` ({t.label})" for t in self.vocab)


@dataclass(frozen=True)
class Year(Type):
    def json(self) -> dict:
        return {"type": "integer", "minimum": YEAR_MIN, "maximum": max_year()}

    def describe(self) -> str:
        return f"năm, bốn chữ số, từ {YEAR_MIN} đến năm sau"


@dataclass(frozen=True)
class Date(Type):
    until: str = ""  # key of the date that ends the range this one starts (facts show both)

    def json(self) -> dict:
        return {"type": "string", "format": "date"}

    def describe(self) -> str:
        return "ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2024-07-31"


@dataclass(frozen=True)
class Url(Type):
    def json(self) -> dict:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}

    def describe(self) -> str:
        return "địa chỉ web bắt đầu bằng https:// hoặc http://"


@dataclass(frozen=True)
class PlaceRef(Type):
    role: str  # "district" or "ward"

    def json(self) -> dict:
        return {"type": "string", "pattern": ID_RE.pattern}

    def describe(self) -> str:
        what = "quận/huyện/thị xã (trước 1/7/2025)" if self.role == "district" else "phường/xã"
        return f"id của {what} trong content/places.yml"


@dataclass(frozen=True)
class EntryRef(Type):
    kinds: tuple[str, ...] = ("model", "exemplar", "event")

    def json(self) -> dict:
        return {"type": "string", "pattern": ID_RE.pattern}

    def describe(self) -> str:
        return "id của một mục khác (tên tệp không có .md)"


@dataclass(frozen=True)
class Recipient(Type):
    def json(self) -> dict:
        return {"type": "string", "minLength": 1}

    def describe(self) -> str:
        return "id của mục đạt giải, hoặc tên đơn vị nếu chưa có mục"


@dataclass(frozen=True)
class ImagePath(Type):
    def json(self) -> dict:
        return {"type": "string", "pattern": r"^(?!/)(?!.*\.\.).+\.(jpe?g|png|webp|gif)$"}

    def describe(self) -> str:
        return "đường dẫn ảnh, tính từ thư mục chứa tệp mục (không ra khỏi content/)"


@dataclass(frozen=True)
class ListOf(Type):
    item: Type
    max_items: int = 100

    def json(self) -> dict:
        return {"type": "array", "items": self.item.json(), "maxItems": self.max_items}

    def describe(self) -> str:
        return f"danh sách (tối đa {self.max_items} mục), mỗi mục: {self.item.describe()}"


@dataclass(frozen=True)
class Record(Type):
    specs: tuple["Spec", ...]
    name: str = ""  # the typed record class it becomes (model.RECORDS)

    def json(self) -> dict:
        return {
            "type": "object",
            "properties": {s.key: s.json() for s in self.specs},
            "required": [s.key for s in self.specs if s.required],
            "additionalProperties": False,
        }

    def describe(self) -> str:
        return "gồm các khóa " + ", ".join(f"`{s.key}`" for s in self.specs)

    def spec(self, key: str) -> "Spec | None":
        return next((s for s in self.specs if s.key == key), None)


@dataclass(frozen=True)
class Figures(Type):
    max_items: int = 50

    def json(self) -> dict:
        return {
            "type": "object",
            "propertyNames": {"pattern": FIGURE_KEY_RE.pattern},
            "additionalProperties": {"type": "integer", "minimum": 0},
        }

    def describe(self) -> str:
        return "các cặp `ten_so_lieu: số` (chữ thường không dấu, nối bằng _)"


@dataclass(frozen=True)
class Spec:
    """One key of an entry."""

    key: str
    type: Type
    label: str
    help: str
    required: bool = False
    example: object = None
    only_for: tuple[str, ...] = field(default=())  # kinds the key applies to
    required_for: tuple[str, ...] = field(default=())  # kinds for which it is required
    fact: str = ""  # "" hidden, "text" shown among the facts, "link" shown and linked to its listing

    def applies_to(self, kind: str) -> bool:
        return not self.only_for or kind in self.only_for

    def required_in(self, kind: str) -> bool:
        return self.required or kind in self.required_for

    def json(self) -> dict:
        schema = dict(self.type.json())
        schema["title"] = self.label
        schema["description"] = self.help
        return schema


SOURCE = Record(
    (
        Spec("title", Text(TITLE_MAX), "Tiêu đề bài viết", "Tên bài báo hoặc văn bản.", True),
        Spec("url", Url(), "Địa chỉ", "Liên kết tới bài viết (nếu có)."),
        Spec("date", Date(), "Ngày đăng", "Ngày bài viết được đăng."),
    ),
    "source",
)

IMAGE = Record(
    (
        Spec("src", ImagePath(), "Tệp ảnh", "Đường dẫn ảnh tính từ thư mục của tệp mục.", True, "anh/trao-giai.jpg"),
        Spec("caption", Text(SHORT_MAX), "Chú thích", "Mô tả ảnh, dùng làm chữ thay thế.", True),
        Spec("credit", Text(TITLE_MAX), "Nguồn ảnh", "Người chụp hoặc đơn vị cung cấp ảnh."),
    ),
    "image",
)

AWARD = Record(
    (
        Spec("title", Text(TITLE_MAX), "Tên khen thưởng", "Ví dụ: \"Bằng khen của UBND Thành phố\", \"Giải Nhất Hội thi Dân vận khéo\".", True),
        Spec("level", Choice(LEVELS), "Cấp khen thưởng", "Cấp trao khen thưởng.", True, "thanh-pho"),
        Spec("year", Year(), "Năm", "Năm nhận khen thưởng.", True, 2024),
        Spec("by", Text(TITLE_MAX), "Cơ quan trao", "Ví dụ: UBND Thành phố Hà Nội."),
        Spec("rank", Choice(RANKS), "Giải", "Với hội thi: thứ hạng đạt được."),
        Spec("event", EntryRef(("event",)), "Sự kiện", "Id của hội thi, hội nghị đã trao giải."),
        Spec("decision", Text(TITLE_MAX), "Quyết định", "Số và ngày quyết định khen thưởng."),
        Spec("image", ImagePath(), "Ảnh", "Ảnh bằng khen hoặc lễ trao (đường dẫn như ảnh)."),
    ),
    "award",
)

RESULT = Record(
    (
        Spec("rank", Choice(RANKS), "Giải", "Thứ hạng.", True, "nhat"),
        Spec("recipient", Recipient(), "Đơn vị đạt giải", "Id của mục đạt giải, hoặc tên đơn vị.", True),
    ),
    "result",
)

_COMMON_HEAD = (
    Spec("title", Text(TITLE_MAX), "Tên", "Tên mô hình, điển hình hoặc sự kiện, ví dụ \"Ngày không giấy hẹn\".", True, "Ngày không giấy hẹn"),
)
PLACE_FACT_LABEL = "Địa bàn"  # district and ward are shown as one fact, the ward first
_PLACE = (
    Spec("district", PlaceRef("district"), "Quận/huyện", "Quận, huyện, thị xã (trước 1/7/2025). Cần district hoặc ward.", example="tay-ho", fact="text"),
    Spec("ward", PlaceRef("ward"), "Phường/xã", "Phường, xã; nếu ghi cả district thì phường phải thuộc quận đó. Phường, xã mới từ 1/7/2025 (ví dụ xuan-phuong-2025) ghi một mình, không kèm district.", example="nhat-tan", fact="text"),
)
_COMMON_TAIL = (
    Spec("images", ListOf(IMAGE, 50), "Ảnh", "Danh sách ảnh, mỗi ảnh có src, caption, credit."),
    Spec("related", ListOf(EntryRef(), 50), "Liên quan", "Id các mục liên quan; trang của mục kia cũng sẽ dẫn lại."),
    Spec("tags", ListOf(Text(60), 30), "Từ khóa", "Các từ khóa tự do.", fact="text"),
    Spec("sources", ListOf(SOURCE, 30), "Nguồn", "Các bài báo đã đăng về mục này."),
    # privacy guard (generator/privacy.py): the only phone numbers / e-mails the entry may publish
    Spec("public_contact", ListOf(Text(100), 10), "Liên hệ công khai", "Số điện thoại hoặc e-mail được phép công bố (đường dây nóng, e-mail chính thức của đơn vị, đã được đồng ý), mỗi dòng một số, đúng như viết trong bài."),
)
_SUMMARY = Spec(
    "summary", Text(SUMMARY_MAX), "Tóm tắt", "Một hai câu, tối đa 300 ký tự; hiện trên thẻ, mô tả trang và sách.", True
)

MODEL_SPECS: tuple[Spec, ...] = (
    Spec("kind", Choice(KINDS), "Loại", "`model` (mô hình) hoặc `exemplar` (điển hình).", True, "model"),
    *_COMMON_HEAD,
    Spec("subject", Choice(SUBJECTS), "Đối tượng", "Với điển hình: cá nhân hay tập thể.", example="person", only_for=("exemplar",), required_for=("exemplar",), fact="text"),
    Spec("position", Text(TITLE_MAX), "Chức vụ", "Chức vụ của điển hình cá nhân, ví dụ Tổ trưởng tổ dân phố số 5.", only_for=("exemplar",), fact="text"),
    Spec("unit", Text(TITLE_MAX), "Đơn vị thực hiện", "Ví dụ: UBND phường Nhật Tân.", True, "UBND phường Nhật Tân", fact="text"),
    *_PLACE,
    Spec("field", Choice(FIELDS), "Lĩnh vực", "Một lĩnh vực.", True, "kinh-te", fact="link"),
    Spec("level", Choice(LEVELS), "Cấp công nhận", "Cấp công nhận mô hình.", True, "co-so", fact="link"),
    Spec("year", Year(), "Năm đăng ký", "Năm đăng ký mô hình.", True, 2024, fact="link"),
    _SUMMARY,
    Spec("results", ListOf(Text(SHORT_MAX), 30), "Kết quả", "Các kết quả đo được, mỗi dòng một ý: `- \"…\"`."),
    Spec("awards", ListOf(AWARD, 30), "Khen thưởng", "Danh sách khen thưởng."),
    *_COMMON_TAIL,
)

EVENT_SPECS: tuple[Spec, ...] = (
    Spec("kind", Choice(EVENT_KINDS), "Loại", "Luôn là `event` (có thể bỏ trống)."),
    *_COMMON_HEAD,
    Spec("type", Choice(EVENT_TYPES), "Loại sự kiện", "Hội thi, biểu dương, sơ kết...", True, "hoi-thi", fact="text"),
    Spec("date", Date(until="end_date"), "Thời gian", "Ngày diễn ra (ngày bắt đầu), dạng 2024-07-31.", True, "2024-07-31", fact="text"),
    Spec("end_date", Date(), "Ngày kết thúc", "Nếu sự kiện kéo dài nhiều ngày."),
    *_PLACE,
    Spec("organizer", Text(TITLE_MAX), "Đơn vị tổ chức", "Ví dụ: Quận ủy Nam Từ Liêm.", True, "Quận ủy Nam Từ Liêm", fact="text"),
    Spec("location", Text(TITLE_MAX), "Địa điểm", "Nơi tổ chức.", fact="text"),
    _SUMMARY,
    Spec("results", ListOf(RESULT, 200), "Kết quả hội thi", "Với hội thi: danh sách `{rank: nhat, recipient: …}`; recipient là id của mục đạt giải hoặc tên đơn vị."),
    Spec("figures", Figures(), "Số liệu", "Các con số, mỗi dòng một số, ví dụ `mo_hinh_dang_ky: 633` (viết số liền, không dấu chấm)."),
    *_COMMON_TAIL,
)

COLLECTIONS = {"models": MODEL_SPECS, "events": EVENT_SPECS}
COLLECTION_TITLES = {"models": "Mô hình, điển hình", "events": "Sự kiện"}
KINDS_OF = {"models": KINDS.ids(), "events": EVENT_KINDS.ids()}


def collection_of(kind: str) -> str:
    """"model"/"exemplar" -> "models", "event" -> "events"."""
    return next(name for name, kinds in KINDS_OF.items() if kind in kinds)


def is_scalar(spec: Spec) -> bool:
    """A key written on one line (a flag of `dvk new`), not a list or a block."""
    return not isinstance(spec.type, (ListOf, Record, Figures))


def place_specs(specs: tuple[Spec, ...]) -> tuple[Spec, ...]:
    """The place keys, of which an entry needs at least one."""
    return tuple(s for s in specs if isinstance(s.type, PlaceRef))


def prompted_specs(kind: str) -> tuple[Spec, ...]:
    """Keys `dvk new` asks for: the required one-line keys of that kind, and the places."""
    return tuple(
        s
        for s in COLLECTIONS[collection_of(kind)]
        if s.key != "kind" and s.applies_to(kind) and is_scalar(s) and (s.required_in(kind) or isinstance(s.type, PlaceRef))
    )


def specs_by_key(specs: tuple[Spec, ...]) -> dict[str, Spec]:
    return {s.key: s for s in specs}


def json_schema(collection: str) -> dict:
    """JSON Schema (draft 2020-12) of one collection's front matter, for editor tooling."""
    specs = COLLECTIONS[collection]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"dvk/{collection}.schema.json",
        "title": COLLECTION_TITLES[collection],
        "type": "object",
        "properties": {s.key: s.json() for s in specs},
        "required": [s.key for s in specs if s.required],
        "anyOf": [{"required": [s.key]} for s in place_specs(specs)],
        "additionalProperties": False,
    }
    conditions = [
        {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": {"required": keys}}
        for kind in KINDS_OF[collection]
        if (keys := [s.key for s in specs if kind in s.required_for])
    ]
    if conditions:
        schema["allOf"] = conditions
    return schema
