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
(1.500.000 đồng, 3.124 mô hình), decision numbers (1234/QĐ-UBND), numbers inside links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE = "số điện thoại"
ID_NUMBER = "số CMND/CCCD"
EMAIL = "địa chỉ e-mail"

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])")
# a number: digits in groups joined by one space, dot or dash; an optional + in front
_NUMBER = re.compile(r"(?<![\w.,/+(-])(\(?\+?\d+\)?(?:[ .\-]?\(?\d+\)?)*)(?![\w/]|[.,-]\d)")
_AMOUNT = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")  # 1.500.000: thousands dots, no leading 0
_ID_WORDS = re.compile(r"(?:cmnd|cccd|căn cước|chứng minh|định danh)\D{0,20}$", re.IGNORECASE)
# Every finding is an e-mail (an "@") or a number of at least 9 digits, and _NUMBER lets at
# most ")", one separator and "(" stand between two digits: a line without either holds
# nothing (most lines; the full search ran on 140,000 lines of a 10,000-entry validation).
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


def contact_key(text: str) -> str:
    """A phone number or e-mail reduced to one spelling ("+84 912.345.678" -> "0912345678")."""
    text = text.strip().replace("(", "").replace(")", "")
    if "@" in text:
        return text.lower()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+84") or text.startswith("0084") or (digits.startswith("84") and len(digits) in (11, 12)):
        digits = "0" + digits[digits.index("84") + 2 :]
    return digits


def find_personal_data(text: str) -> list[Finding]:
    """Phone numbers, ID numbers and e-mail addresses in one line of text, in order."""
    if "@" not in text and _NINE_DIGITS.search(text) is None:
        return []
    found: list[Finding] = []
    for match in _EMAIL.finditer(text):
        found.append(Finding(EMAIL, match.group(0), match.group(0).lower()))
    clean = _EMAIL.sub(lambda m: " " * len(m.group(0)), _URL.sub(lambda m: " " * len(m.group(0)), text))
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
        return PHONE if len(rest) in (9, 10) and rest[0] in "235789" else None
    if len(digits) == 10 and digits[0] == "0" and digits[1] in "345789":
        return PHONE
    if len(digits) == 11 and digits.startswith("02"):
        return PHONE
    if len(digits) in (9, 12) and (digits[0] == "0" or _ID_WORDS.search(before)):
        return ID_NUMBER
    return None
