"""Personal data an entry must not publish: phone numbers, ID card numbers, e-mail addresses.

The showcase is public and indexed; an exemplar's story copied from a report often still
carries the person's mobile number or citizen ID. The validator reports each one as an
error unless the entry lists it in `public_contact` (an official hotline or a unit's
public e-mail the editor has consent to publish): the list is exact, so consenting to one
number never lets another through.

What counts (Vietnamese formats):
- mobile: 10 digits starting 03/05/07/08/09 (0912 345 678, 0912.345.678, 0912-345-678),
  or +84/0084/84 followed by the 9 digits (+84 912 345 678);
- landline: 11 digits starting 02 (024 3825 1234), old 10-digit 04… too, and +84 2…;
- ID numbers: 12 digits starting 0 (CCCD), 9 digits starting 0 (CMND), or any 9/12-digit
  number right after "CMND", "CCCD", "căn cước", "chứng minh", "định danh";
- e-mail addresses.
Not flagged: years, dates (31/07/2024, 2024-07-31), amounts written with thousands dots
(1.500.000 đồng, 3.124 mô hình), decision numbers (1234/QĐ-UBND), numbers inside links
(a news article's id), except links that are a phone number (tel:, zalo.me/, wa.me/).

Text is searched as a reader sees it (`readable_text`): HTML entities decoded (&#64; is
an @), full-width digits made plain, invisible characters (zero-width spaces, bidi
marks) dropped, every dash a "-" and every run of white space one space, so a number
split by a non-breaking space, an en dash, a line break in the YAML or the story, or
glued to a word ("SĐT0987654321") is still one number.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

PHONE = "số điện thoại"
ID_NUMBER = "số CMND/CCCD"
EMAIL = "địa chỉ e-mail"

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# links that are a phone number: kept as text for the number search
_PHONE_LINK = re.compile(r"(?:tel:|(?:https?://)?(?:zalo\.me|wa\.me)/)(\+?\d[\d .\-]{7,})", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])")
# a number: digits in groups joined by one space, dot or dash (or " - "); an optional +
# in front; letters may touch it (SĐT0912345678), other digits and decimals may not
_NUMBER = re.compile(r"(?<![0-9.,/+(_-])(\(?\+?\d+\)?(?:(?:[ .\-]| - )?\(?\d+\)?)*)(?![0-9/_]|[.,-]\d)")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
_AMOUNT = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")  # 1.500.000: thousands dots, no leading 0
_ID_WORDS = re.compile(r"(?:cmnd|cccd|căn cước|chứng minh|định danh)\D{0,20}$", re.IGNORECASE)
# Every finding is an e-mail (an "@") or a number of at least 9 digits, and _NUMBER lets at
# most ")", one separator and "(" stand between two digits: a line without either holds
# nothing (most lines; the full search ran on 140,000 lines of a 10,000-entry validation).
_LOOSE_DIGITS = re.compile(r"\d(?:\D{0,4}\d){8}")  # before readable_text: any digits, any marks between
_NINE_DIGITS = re.compile(r"\d(?:[)( .\-]{0,3}\d){8}")


@dataclass(frozen=True)
class Finding:
    kind: str  # PHONE, ID_NUMBER or EMAIL
    text: str  # as written
    key: str  # normalised, to compare with public_contact

    @property
    def masked(self) -> str:
        """Enough to find it in the file, not enough to copy it from a build log."""
        if self.kind == EMAIL:
            user, _, domain = self.text.partition("@")
            return f"{user[:1]}***@{domain}"
        return self.key[:3] + "*" * (len(self.key) - 5) + self.key[-2:]


def readable_text(text: str) -> str:
    """`text` as a reader sees it, for the search (see the module docstring)."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _DASHES.sub("-", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    return _SPACES.sub(" ", text)


def contact_key(text: str) -> str:
    """A phone number or e-mail reduced to one spelling ("+84 912.345.678" -> "0912345678")."""
    text = readable_text(text).strip().replace("(", "").replace(")", "")
    if "@" in text:
        return text.lower()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+84") or text.startswith("0084") or (digits.startswith("84") and len(digits) in (11, 12)):
        rest = digits[digits.index("84") + 2 :]
        digits = rest if len(rest) == 10 and rest[0] == "0" else "0" + rest  # +84 (0) 912…: the trunk 0 written too
    return digits


def find_personal_data(text: str) -> list[Finding]:
    """Phone numbers, ID numbers and e-mail addresses in a text (a value, a paragraph), in order."""
    if "@" not in text and "&" not in text and _LOOSE_DIGITS.search(text) is None:
        return []  # most texts: no nine digits near each other, in any script or spacing
    text = readable_text(text)
    if "@" not in text and _NINE_DIGITS.search(text) is None:
        return []
    found: list[Finding] = []
    for match in _EMAIL.finditer(text):
        found.append(Finding(EMAIL, match.group(0), match.group(0).lower()))
    unlinked = _URL.sub(lambda m: " " * len(m.group(0)), _PHONE_LINK.sub(lambda m: " " * (m.start(1) - m.start()) + m.group(1), text))
    clean = _EMAIL.sub(lambda m: " " * len(m.group(0)), unlinked)
    for match in _NUMBER.finditer(clean):
        number = match.group(1)
        if number.count("(") != number.count(")"):  # "(CCCD 0010…)": the bracket is the sentence's
            number = number.strip("()")
        kind = _classify(number, clean[: match.start()])
        if kind:
            found.append(Finding(kind, number, contact_key(number)))
    return found


def _classify(number: str, before: str) -> str | None:
    if _AMOUNT.match(number):
        return None
    number = number.replace("(", "").replace(")", "")
    digits = re.sub(r"\D", "", number)
    international = number.startswith("+84") or number.startswith("0084") or (number.startswith("84") and len(digits) in (11, 12))
    if international:
        rest = digits[digits.index("84") + 2 :]
        if len(rest) == 10 and rest[0] == "0":  # +84 (0) 912 345 678: the trunk 0 written too
            rest = rest[1:]
        return PHONE if len(rest) in (9, 10) and rest[0] in "235789" else None
    if len(digits) == 10 and digits[0] == "0" and digits[1] in "345789":
        return PHONE
    if len(digits) == 11 and digits.startswith("02"):
        return PHONE
    if len(digits) in (9, 12) and (digits[0] == "0" or _ID_WORDS.search(before)):
        return ID_NUMBER
    return None
