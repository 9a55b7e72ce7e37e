"""Controlled vocabularies, declared once.

The validator, the site, the book, the JSON Schema and `dvk new` all read these tables, so
a label changed here changes everywhere. A `Term` is a value object: it compares, hashes
and sorts by its position in its vocabulary, which is the order the site lists them in.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .text import fold, slugify


@dataclass(frozen=True, order=False)
class Term:
    """One id of a vocabulary with its Vietnamese label."""

    vocab: str
    id: str
    label: str
    rank: int = field(default=0, compare=False)
    short: str = field(default="", compare=False)

    def __lt__(self, other: "Term") -> bool:
        return (self.vocab, self.rank) < (other.vocab, other.rank)

    def __str__(self) -> str:
        return self.label


class Vocabulary:
    """An ordered set of terms with forgiving lookup (case, diacritics, the label itself)."""

    def __init__(self, name: str, label: str, items: list[tuple[str, str] | tuple[str, str, str]]):
        self.name = name
        self.label = label
        self.terms: list[Term] = [
            Term(name, item[0], item[1], rank, item[2] if len(item) > 2 else item[1])
            for rank, item in enumerate(items)
        ]
        self._by_id = {t.id: t for t in self.terms}
        self._by_key: dict[str, Term] = {}
        for term in self.terms:
            for key in (term.id, term.label, term.short):
                self._by_key.setdefault(slugify(key), term)

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, term_id: str) -> bool:
        return term_id in self._by_id

    def ids(self) -> list[str]:
        return [t.id for t in self.terms]

    def get(self, term_id: str) -> Term:
        return self._by_id[term_id]

    def match(self, value: str) -> Term | None:
        """Exact id, or an unambiguous forgiving match ("Kinh tế", "KINH TE", "kinh_te")."""
        if value in self._by_id:
            return self._by_id[value]
        return self._by_key.get(slugify(value))

    def nearest(self, value: str) -> str | None:
        """Nearest valid id, for the hint of an error message."""
        keys = {fold(t.id): t.id for t in self.terms}
        keys.update({fold(t.label): t.id for t in self.terms})
        found = difflib.get_close_matches(fold(value), list(keys), n=1, cutoff=0.5)
        return keys[found[0]] if found else None


KINDS = Vocabulary("kind", "Loại", [("model", "Mô hình"), ("exemplar", "Điển hình")])

EVENT_KINDS = Vocabulary("kind", "Loại", [("event", "Sự kiện")])

SUBJECTS = Vocabulary("subject", "Đối tượng", [("person", "Cá nhân"), ("collective", "Tập thể")])

FIELDS = Vocabulary(
    "field",
    "Lĩnh vực",
    [
        ("kinh-te", "Kinh tế"),
        ("van-hoa-xa-hoi", "Văn hóa - Xã hội"),
        ("quoc-phong-an-ninh", "Quốc phòng - An ninh"),
        ("xay-dung-he-thong-chinh-tri", "Xây dựng hệ thống chính trị"),
    ],
)

LEVELS = Vocabulary(
    "level",
    "Cấp",
    [
        ("co-so", "Cấp cơ sở", "cơ sở"),
        ("quan", "Cấp quận/huyện/thị xã", "quận, huyện"),
        ("thanh-pho", "Cấp Thành phố", "Thành phố"),
    ],
)

EVENT_TYPES = Vocabulary(
    "type",
    "Loại sự kiện",
    [
        ("hoi-thi", "Hội thi"),
        ("bieu-duong", "Hội nghị biểu dương"),
        ("so-ket", "Sơ kết"),
        ("tong-ket", "Tổng kết"),
        ("khao-sat", "Khảo sát, thẩm định"),
        ("toa-dam", "Tọa đàm"),
        ("phat-dong", "Phát động thi đua"),
    ],
)

RANKS = Vocabulary(
    "rank",
    "Giải",
    [
        ("nhat", "Giải Nhất"),
        ("nhi", "Giải Nhì"),
        ("ba", "Giải Ba"),
        ("khuyen-khich", "Giải Khuyến khích"),
    ],
)

PLACE_TYPES = Vocabulary(
    "place_type",
    "Loại đơn vị hành chính",
    [
        ("quận", "quận"),
        ("huyện", "huyện"),
        ("thị xã", "thị xã"),
        ("thành phố", "thành phố"),
        ("phường", "phường"),
        ("xã", "xã"),
        ("thị trấn", "thị trấn"),
        ("đặc khu", "đặc khu"),
    ],
)
# A province city (thành phố thuộc tỉnh) was district-level too; an island "đặc khu" is
# commune-level since 1/7/2025. Hanoi has neither, other provinces' registries do.
DISTRICT_TYPES = ("quận", "huyện", "thị xã", "thành phố")
WARD_TYPES = ("phường", "xã", "thị trấn", "đặc khu")

# Labels for well-known event figures; other keys are shown humanised.
FIGURE_LABELS = {
    "mo_hinh_dang_ky": "Mô hình, điển hình đăng ký",
    "mo_hinh": "Mô hình",
    "dien_hinh": "Điển hình",
    "don_vi_dang_ky": "Đơn vị đăng ký",
    "tap_the_khen_thuong": "Tập thể được khen thưởng",
    "ca_nhan_khen_thuong": "Cá nhân được khen thưởng",
    "tap_the": "Tập thể",
    "ca_nhan": "Cá nhân",
    "doi_thi": "Đội thi",
    "don_vi_du_thi": "Đơn vị dự thi",
    "giai_thuong": "Giải thưởng",
    "dai_bieu": "Đại biểu",
    "nguoi_dang_ky_hien_tang": "Người đăng ký hiến tặng",
    "mo_hinh_duoc_tham_dinh": "Mô hình được thẩm định",
    "mo_hinh_tieu_bieu": "Mô hình tiêu biểu",
}


def label_figure(key: str) -> str:
    """Vietnamese label of an event figure key."""
    if key in FIGURE_LABELS:
        return FIGURE_LABELS[key]
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


ALL_VOCABULARIES = (KINDS, SUBJECTS, FIELDS, LEVELS, EVENT_TYPES, RANKS)
