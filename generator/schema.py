"""The entry schema, declared once (Astro-style collections in Python).

Each key of a model/exemplar or an event is a `Spec`: its type, whether it is required,
its Vietnamese label and help. The validator walks these specs; the JSON Schema, the
editor guide and `dvk new` templates are generated from the same declarations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .vocab import EVENT_KINDS, EVENT_TYPES, FIELDS, FIGURES, KINDS, LEVELS, RANKS, SUBJECTS, Vocabulary

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIGURE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FIGURE_PARTS = ("label", "value")  # keys of a labelled figure: `key: {label: "…", value: 120}`
FIGURE_LABEL_MAX = 80
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
class Flag(Type):
    """true / false (YAML booleans only: "có" or 1 would be a guess)."""

    def json(self) -> dict:
        return {"type": "boolean"}

    def describe(self) -> str:
        return "true hoặc false"


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
        return f"năm, từ {YEAR_MIN} đến {max_year()}"


@dataclass(frozen=True)
class Date(Type):
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
    """`known_key: 633`, or `any_key: {label: "…", value: 633}` (label shown to readers)."""

    max_items: int = 50

    def json(self) -> dict:
        labelled = {
            "type": "object",
            "properties": {"label": {"type": "string", "minLength": 1, "maxLength": FIGURE_LABEL_MAX}, "value": {"type": "integer", "minimum": 0}},
            "required": ["label", "value"],
            "additionalProperties": False,
        }
        known = {"anyOf": [{"type": "integer", "minimum": 0}, {**labelled, "required": ["value"]}]}
        return {
            "type": "object",
            "propertyNames": {"pattern": FIGURE_KEY_RE.pattern},
            "properties": {term.id: {**known, "description": term.label} for term in FIGURES},
            "additionalProperties": labelled,
        }

    def describe(self) -> str:
        return 'các dòng `ten_so_lieu: số` với khóa có trong danh mục, hoặc `ten_so_lieu: {label: "Nhãn", value: số}`'


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
    )
)

_ILLUSTRATIVE = Spec("illustrative", Flag(), "Ảnh minh họa", "true nếu là tranh vẽ, ảnh dựng hay ảnh minh họa, không phải ảnh chụp thật: trang web và sách ghi “Ảnh minh họa”.")

IMAGE = Record(
    (
        Spec("src", ImagePath(), "Tệp ảnh", "Đường dẫn ảnh tính từ thư mục của tệp mục.", True, "anh/trao-giai.jpg"),
        Spec("caption", Text(SHORT_MAX), "Chú thích", "Mô tả ảnh, dùng làm chữ thay thế.", True),
        Spec("credit", Text(TITLE_MAX), "Nguồn ảnh", "Người chụp hoặc đơn vị cung cấp ảnh."),
        _ILLUSTRATIVE,
    )
)

AWARD = Record(
    (
        Spec("title", Text(TITLE_MAX), "Tên khen thưởng", "Ví dụ: Bằng khen của UBND Thành phố.", True),
        Spec("level", Choice(LEVELS), "Cấp khen thưởng", "Cấp trao khen thưởng.", True, "thanh-pho"),
        Spec("year", Year(), "Năm", "Năm nhận khen thưởng.", True, 2024),
        Spec("by", Text(TITLE_MAX), "Cơ quan trao", "Ví dụ: UBND Thành phố Hà Nội."),
        Spec("rank", Choice(RANKS), "Giải", "Thứ hạng trong hội thi."),
        Spec("event", EntryRef(("event",)), "Sự kiện", "Id của hội thi, hội nghị đã trao giải."),
        Spec("decision", Text(TITLE_MAX), "Quyết định", "Số và ngày quyết định khen thưởng."),
        Spec("image", ImagePath(), "Ảnh", "Ảnh bằng khen hoặc lễ trao."),
        Spec("caption", Text(SHORT_MAX), "Chú thích ảnh", "Ảnh `image` cho thấy gì; mặc định là tên khen thưởng."),
        Spec("credit", Text(TITLE_MAX), "Nguồn ảnh", "Người chụp hoặc đơn vị cung cấp ảnh `image`."),
        _ILLUSTRATIVE,
    )
)

RESULT = Record(
    (
        Spec("rank", Choice(RANKS), "Giải", "Thứ hạng.", True, "nhat"),
        Spec("recipient", Recipient(), "Đơn vị đạt giải", "Id của mục đạt giải, hoặc tên đơn vị.", True),
    )
)

_COMMON_HEAD = (
    Spec("title", Text(TITLE_MAX), "Tên", "Tên mô hình, điển hình hoặc sự kiện.", True, "Ngày không giấy hẹn"),
)
_PLACE = (
    Spec("district", PlaceRef("district"), "Quận/huyện", "Quận, huyện, thị xã (trước 1/7/2025). Cần district hoặc ward.", example="tay-ho"),
    Spec("ward", PlaceRef("ward"), "Phường/xã", "Phường, xã; phải thuộc quận đã ghi ở district.", example="nhat-tan"),
)
_COMMON_TAIL = (
    Spec("images", ListOf(IMAGE, 50), "Ảnh", "Danh sách ảnh, mỗi ảnh có src, caption, credit; thêm illustrative: true nếu là tranh vẽ, ảnh minh họa."),
    Spec("related", ListOf(EntryRef(), 50), "Liên quan", "Id các mục liên quan; trang của mục kia cũng sẽ dẫn lại."),
    Spec("tags", ListOf(Text(60), 30), "Từ khóa", "Các từ khóa tự do."),
    Spec("sources", ListOf(SOURCE, 30), "Nguồn", "Các bài báo đã đăng về mục này."),
)
_SUMMARY = Spec(
    "summary", Text(SUMMARY_MAX), "Tóm tắt", "Một hai câu, tối đa 300 ký tự; hiện trên thẻ, mô tả trang và sách.", True
)

MODEL_SPECS: tuple[Spec, ...] = (
    Spec("kind", Choice(KINDS), "Loại", "`model` (mô hình) hoặc `exemplar` (điển hình).", True, "model"),
    *_COMMON_HEAD,
    Spec("subject", Choice(SUBJECTS), "Đối tượng", "Với điển hình: `person` (cá nhân) hoặc `collective` (tập thể).", example="person", only_for=("exemplar",)),
    Spec("position", Text(TITLE_MAX), "Chức vụ", "Chức vụ của điển hình cá nhân.", only_for=("exemplar",)),
    Spec("unit", Text(TITLE_MAX), "Đơn vị thực hiện", "Ví dụ: UBND phường Nhật Tân.", True, "UBND phường Nhật Tân"),
    *_PLACE,
    Spec("field", Choice(FIELDS), "Lĩnh vực", "Một lĩnh vực.", True, "kinh-te"),
    Spec("level", Choice(LEVELS), "Cấp", "Cấp công nhận mô hình.", True, "co-so"),
    Spec("year", Year(), "Năm", "Năm đăng ký mô hình.", True, 2024),
    _SUMMARY,
    Spec("results", ListOf(Text(SHORT_MAX), 30), "Kết quả", "Các kết quả đo được, mỗi dòng một ý."),
    Spec("awards", ListOf(AWARD, 30), "Khen thưởng", "Danh sách khen thưởng."),
    *_COMMON_TAIL,
)

EVENT_SPECS: tuple[Spec, ...] = (
    Spec("kind", Choice(EVENT_KINDS), "Loại", "Luôn là `event` (có thể bỏ trống)."),
    *_COMMON_HEAD,
    Spec("type", Choice(EVENT_TYPES), "Loại sự kiện", "Hội thi, biểu dương, sơ kết...", True, "hoi-thi"),
    Spec("date", Date(), "Ngày", "Ngày diễn ra, dạng 2024-07-31.", True, "2024-07-31"),
    Spec("end_date", Date(), "Ngày kết thúc", "Nếu sự kiện kéo dài nhiều ngày."),
    *_PLACE,
    Spec("organizer", Text(TITLE_MAX), "Đơn vị tổ chức", "Ví dụ: Quận ủy Nam Từ Liêm.", True, "Quận ủy Nam Từ Liêm"),
    Spec("location", Text(TITLE_MAX), "Địa điểm", "Nơi tổ chức."),
    _SUMMARY,
    Spec("results", ListOf(RESULT, 200), "Kết quả hội thi", "Danh sách giải: rank và recipient."),
    Spec("figures", Figures(), "Số liệu", "Các con số: khóa có trong danh mục kèm số (mo_hinh_dang_ky: 633), khóa khác kèm nhãn."),
    *_COMMON_TAIL,
)

COLLECTIONS = {"models": MODEL_SPECS, "events": EVENT_SPECS}


def specs_by_key(specs: tuple[Spec, ...]) -> dict[str, Spec]:
    return {s.key: s for s in specs}


def json_schema(collection: str) -> dict:
    """JSON Schema (draft 2020-12) of one collection's front matter, for editor tooling."""
    specs = COLLECTIONS[collection]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"dvk/{collection}.schema.json",
        "title": "Mô hình, điển hình" if collection == "models" else "Sự kiện",
        "type": "object",
        "properties": {s.key: s.json() for s in specs},
        "required": [s.key for s in specs if s.required],
        "anyOf": [{"required": ["district"]}, {"required": ["ward"]}],
        "additionalProperties": False,
    }
