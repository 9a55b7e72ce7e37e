"""Value checks: one raw YAML value + its schema type -> a typed value or problems.

The checker never stops at the first fault: every bad value adds a `Problem` with the
file, line and key, and returns `INVALID` so the caller can go on with the next key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as S
from .imagecheck import ImageChecker, ImageInfo, image_advice, resolve_image_path
from .model import ERROR, WARNING, Figure, Problem
from .places import PlaceRegistry
from .text import HIDDEN_CHARACTERS, has_hidden_characters, nfc, slugify
from .vocab import FIGURES
from .yamlsafe import LineDict, LineList

INVALID = object()
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass
class Reference:
    """A reference to another entry, resolved once every file is loaded."""

    path: str
    line: int
    key: str
    target: str
    kinds: tuple[str, ...]


@dataclass
class Checker:
    """Checks the values of one file against the schema."""

    path: str
    abs_path: Path
    content_dir: Path
    places: PlaceRegistry
    images: ImageChecker
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    texts: list[tuple[int, str]] = field(default_factory=list)  # every text value, for tone checks
    keyed_texts: list[tuple[int, str, str]] = field(default_factory=list)  # (line, key, text), for the privacy guard
    image_infos: list[ImageInfo] = field(default_factory=list)
    kind_id: str = ""  # the entry's normalised kind, read by cross-file reference checks
    district_id: str | None = None  # the entry's district once checked: narrows a shared ward name

    def forget_texts(self) -> None:
        """Drop the text values gathered for the whole-file checks (tone, privacy) once
        they ran: the validator keeps every file's checker between runs, on disk too,
        and their 100,000 tuples at 10,000 entries were an eighth of its loading time."""
        self.texts, self.keyed_texts = [], []

    # -- reporting ---------------------------------------------------------------
    def error(self, line: int, key: str, message: str, hint: str = "") -> object:
        self.problems.append(Problem(self.path, line, key, message, hint, ERROR))
        return INVALID

    def warn(self, line: int, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, key, message, hint, WARNING))

    # -- dispatch ----------------------------------------------------------------
    def check_value(self, kind: S.Type, value, line: int, key: str):
        method = getattr(self, "check_" + type(kind).__name__.lower())
        return method(kind, value, line, key)

    def check_keys(self, data: LineDict, specs: tuple[S.Spec, ...], prefix: str) -> dict:
        """Check a mapping against specs: unknown keys, missing required keys, each value."""
        allowed = {s.key: s for s in specs}
        out: dict = {}
        for key in data:
            if key not in allowed:
                self.flag_unknown_key(data.line_of(key), prefix + str(key), str(key), list(allowed))
        for spec in specs:
            value = data.get(spec.key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if spec.required:
                    line = data.line_of(spec.key) if spec.key in data else data.line
                    what = "để trống" if spec.key in data else "thiếu khóa bắt buộc"
                    self.error(line, prefix + spec.key, what, f"ghi {spec.label.lower()}: {spec.type.describe()}")
                continue
            result = self.check_value(spec.type, value, data.line_of(spec.key), prefix + spec.key)
            if result is not INVALID:
                out[spec.key] = result
        return out

    def flag_unknown_key(self, line: int, key: str, bare: str, allowed: list[str]) -> None:
        near = difflib.get_close_matches(bare.lower(), allowed, n=1, cutoff=0.6)
        hint = f"có phải ý bạn là `{near[0]}`?" if near else "các khóa hợp lệ: " + ", ".join(allowed)
        self.error(line, key, "khóa không được hỗ trợ", hint)

    # -- scalar types --------------------------------------------------------------
    def as_text(self, value, line: int, key: str) -> str | object:
        if isinstance(value, bool):
            return self.error(line, key, f"{str(value).lower()} bị hiểu là đúng/sai", "đặt giá trị trong ngoặc kép")
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            return self.error(line, key, "phải là một đoạn chữ, không phải danh sách hay khối", "viết giá trị trên cùng dòng sau dấu ':'")
        if not unicodedata.is_normalized("NFC", value):
            self.warn(line, key, "chữ không ở dạng Unicode NFC (dấu tổ hợp)", "gõ lại bằng bảng mã Unicode dựng sẵn; dvk đã tự chuẩn hóa")
            value = nfc(value)
        if has_hidden_characters(value):
            return self.error(line, key, *HIDDEN_CHARACTERS)
        value = value.strip()
        self.texts.append((line, value))
        self.keyed_texts.append((line, key, value))
        return value

    def check_text(self, kind: S.Text, value, line: int, key: str):
        value = self.as_text(value, line, key)
        if value is INVALID:
            return value
        if not value:
            return self.error(line, key, "để trống", "ghi nội dung")
        if len(value) > kind.max_len:
            return self.error(line, key, f"dài {len(value)} ký tự, quá {kind.max_len}", "rút gọn lại")
        if "\n" in value and not kind.multiline:
            value = " ".join(value.split())
        return value

    def as_scalar(self, value, line: int, key: str, what: str) -> str | object:
        """A single word or number as text; lists, mappings and true/false are errors."""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return self.error(line, key, f"phải là {what}, không phải danh sách, khối hay đúng/sai", "viết một giá trị trên cùng dòng sau dấu ':'")
        return str(value)

    def check_flag(self, kind: S.Flag, value, line: int, key: str):
        if isinstance(value, bool):
            return value
        return self.error(line, key, f'"{value}" không phải true/false', "viết true (đúng) hoặc false (sai), không đặt trong ngoặc kép")

    def check_choice(self, kind: S.Choice, value, line: int, key: str):
        text = self.as_scalar(value, line, key, "một id")
        if text is INVALID:
            return text
        vocab = kind.vocab
        if text in vocab:
            return vocab.get(text)
        term = vocab.match(text)
        if term is not None:
            self.warn(line, key, f'"{text}" được hiểu là `{term.id}` ({term.label})', f"viết đúng id: {term.id}")
            return term
        near = vocab.nearest(text)
        hint = "dùng một trong: " + ", ".join(vocab.ids())
        if near:
            hint += f" (gần nhất: {near})"
        return self.error(line, key, f'"{text}" không hợp lệ', hint)

    def check_year(self, kind: S.Year, value, line: int, key: str):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            return self.error(line, key, f'"{value}" không phải là năm', "viết bốn chữ số, ví dụ 2024")
        if not S.YEAR_MIN <= value <= S.max_year():
            return self.error(line, key, f"năm {value} ngoài khoảng cho phép", f"năm từ {S.YEAR_MIN} đến {S.max_year()}")
        return value

    def check_date(self, kind: S.Date, value, line: int, key: str):
        text = str(value).strip()
        dmy = _DMY.match(text)
        if dmy:
            day, month, year = (int(x) for x in dmy.groups())
            return self.error(line, key, f'"{text}" viết theo kiểu ngày/tháng/năm', f"viết {year:04d}-{month:02d}-{day:02d}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return self.error(line, key, f'"{text}" không phải ngày hợp lệ', "viết NĂM-THÁNG-NGÀY, ví dụ 2024-07-31")
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            return self.error(line, key, f'ngày "{text}" không tồn tại', "kiểm tra lại ngày và tháng")
        if not S.YEAR_MIN <= date.year <= S.max_year():
            return self.error(line, key, f"năm {date.year} ngoài khoảng cho phép", f"từ {S.YEAR_MIN} đến {S.max_year()}")
        return date

    def check_url(self, kind: S.Url, value, line: int, key: str):
        text = self.as_text(value, line, key)
        if text is INVALID:
            return text
        if not re.fullmatch(r"https?://[^\s<>\"']+\.[^\s<>\"']+", text):
            return self.error(line, key, f'"{text[:80]}" không phải địa chỉ web hợp lệ', "viết đầy đủ, bắt đầu bằng https://")
        return text

    def check_placeref(self, kind: S.PlaceRef, value, line: int, key: str):
        text = self.as_scalar(value, line, key, "một id đơn vị hành chính")
        if text is INVALID:
            return text
        want_district = kind.role == "district"
        place = self.places.get(text)
        if place is None:
            found = self.places.resolve(text, want_district)
            if found.candidates and not want_district and self.district_id:
                inside = [p for p in found.candidates if p.district == self.district_id]
                found.place, found.candidates = (inside[0], []) if len(inside) == 1 else (None, found.candidates)
            if found.candidates:
                listed = "; ".join(f"`{p.id}` — {self.places.describe(p)}" for p in found.candidates)
                return self.error(line, key, f'"{text}" trùng tên {len(found.candidates)} đơn vị', f"ghi đúng id của một trong: {listed}")
            place = found.place or self.places.match(text)
            if place is not None and place.is_district == want_district:
                self.warn(line, key, f'"{text}" được hiểu là `{place.id}` ({self.places.describe(place)})', f"viết đúng id: {place.id}")
        if place is None:
            near = self.places.nearest_ids(text, want_district)
            hint = ("có phải ý bạn là " + " hoặc ".join(f"`{n}`" for n in near) + "?") if near else "xem các id trong content/places.yml"
            return self.error(line, key, f'"{text}" không có trong sổ đơn vị hành chính', hint)
        if want_district and place.is_district:
            self.district_id = place.id
        if place.is_district != want_district:
            other = "ward" if want_district else "district"
            return self.error(line, key, f'"{text}" là {place.label}, không phải {"quận/huyện" if want_district else "phường/xã"}', f"ghi nó ở khóa `{other}`")
        return place

    def check_entryref(self, kind: S.EntryRef, value, line: int, key: str):
        text = self.as_scalar(value, line, key, "một id")
        if text is INVALID:
            return text
        if not S.ID_RE.match(text):
            return self.error(line, key, f'"{text}" không phải id hợp lệ', f"id là tên tệp không có .md, ví dụ {slugify(text) or 'ten-muc'}")
        self.references.append(Reference(self.path, line, key, text, kind.kinds))
        return text

    def check_recipient(self, kind: S.Recipient, value, line: int, key: str):
        text = self.as_text(value, line, key)
        if text is INVALID:
            return text
        if not text:
            return self.error(line, key, "để trống", "ghi id của mục đạt giải hoặc tên đơn vị")
        if S.ID_RE.match(text):
            self.references.append(Reference(self.path, line, key, text, ("model", "exemplar")))
        return text

    def check_imagepath(self, kind: S.ImagePath, value, line: int, key: str):
        text = self.as_text(value, line, key)
        if text is INVALID:
            return text
        path, reason = resolve_image_path(text, self.abs_path, self.content_dir)
        if path is None:
            return self.error(line, key, reason, "đặt ảnh trong content/ và ghi đường dẫn tương đối, ví dụ anh/le-trao-giai.jpg")
        verdict = self.images.check(path, self.content_dir)
        if isinstance(verdict, str):
            return self.error(line, key, f"{verdict} ({text})", "")
        for message, hint in image_advice(verdict):
            self.warn(line, key, f"{message} ({text})", hint)
        self.image_infos.append(verdict)
        return verdict

    # -- containers ------------------------------------------------------------------
    def check_listof(self, kind: S.ListOf, value, line: int, key: str):
        if not isinstance(value, LineList):
            if isinstance(value, (str, int)) and not isinstance(kind.item, S.Record):
                value_list = LineList([value])
                value_list.line, value_list.lines = line, [line]
                value = value_list
            else:
                return self.error(line, key, "phải là danh sách (mỗi mục một dòng bắt đầu bằng '- ')", "")
        if len(value) > kind.max_items:
            return self.error(line, key, f"có {len(value)} mục, quá {kind.max_items}", "bớt bớt mục")
        out = []
        for index, item in enumerate(value):
            item_line = value.line_of(index)
            if item is None:
                self.error(item_line, f"{key}[{index + 1}]", "mục trống", "xóa dòng '-' thừa")
                continue
            result = self.check_value(kind.item, item, item_line, f"{key}[{index + 1}]")
            if result is not INVALID:
                out.append(result)
        return out

    def check_record(self, kind: S.Record, value, line: int, key: str):
        if not isinstance(value, LineDict):
            keys = ", ".join(s.key for s in kind.specs if s.required)
            return self.error(line, key, "phải là một mục có các khóa", f"ghi các khóa {keys}")
        return self.check_keys(value, kind.specs, key + ".")

    def check_figures(self, kind: S.Figures, value, line: int, key: str):
        """`key: number` for a key of vocab.FIGURES, `key: {label, value}` for any key.

        An undeclared key without a label is an error naming the nearest declared key:
        otherwise a page would have to show the bare key, marks lost.
        """
        if not isinstance(value, LineDict):
            return self.error(line, key, "phải là các dòng `ten_so_lieu: số`", "ví dụ mo_hinh_dang_ky: 633")
        out: list[Figure] = []
        for name, item in value.items():
            where, fkey = value.line_of(name), f"{key}.{name}"
            if not S.FIGURE_KEY_RE.match(str(name)):
                self.error(where, fkey, "tên số liệu không hợp lệ", f"chữ thường không dấu nối bằng _, ví dụ {slugify(str(name), '_') or 'so_lieu'}")
                continue
            label, number, number_line = "", item, where
            if isinstance(item, LineDict):
                label, number, number_line = self.check_figure_parts(item, fkey)
                if label is INVALID:
                    continue
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                self.error(number_line, fkey, f'"{number}" không phải số nguyên không âm', _number_hint(number))
                continue
            if not label:
                if name not in FIGURES:
                    self.flag_unknown_figure(where, fkey, str(name), number)
                    continue
                label = FIGURES.get(name).label
            out.append(Figure(str(name), label, number))
        return out

    def check_figure_parts(self, item: LineDict, fkey: str) -> tuple:
        """(label, number, line of the number) of `{label: "…", value: N}`; label INVALID on error."""
        for extra in item:
            if extra not in S.FIGURE_PARTS:
                self.flag_unknown_key(item.line_of(extra), f"{fkey}.{extra}", str(extra), list(S.FIGURE_PARTS))
        if "value" not in item:
            self.error(item.line, fkey, "thiếu khóa `value` (con số)", 'ví dụ {label: "Hộ gia đình tham gia", value: 120}')
            return INVALID, None, item.line
        label = ""
        if "label" in item:
            label = self.check_text(S.Text(S.FIGURE_LABEL_MAX), item["label"], item.line_of("label"), f"{fkey}.label")
        return label, item["value"], item.line_of("value")

    def flag_unknown_figure(self, line: int, fkey: str, name: str, number: int) -> None:
        near = FIGURES.get(FIGURES.nearest(name.replace("_", " "), cutoff=0.0) or FIGURES.ids()[0])
        self.error(
            line,
            fkey,
            f'"{name}" không có trong danh mục số liệu nên chưa có nhãn tiếng Việt',
            f"nếu cùng nghĩa, dùng khóa gần nhất `{near.id}` ({near.label}); nếu không, ghi nhãn: "
            f'{name}: {{label: "…", value: {number}}}',
        )


def _number_hint(number) -> str:
    """"3.124" (a thousands separator, or YAML's float 3.124) -> "viết 3124"."""
    text = str(number).strip()
    if _GROUPED_NUMBER.match(text):
        return f"viết số liền không dấu chấm: {re.sub(r'[.,]', '', text)}"
    return "viết số liền không dấu chấm, ví dụ 3124" if isinstance(number, (str, float)) else "viết một số nguyên"
