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

import dataclasses
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
# a number: digits in groups joined by one space, dot or dash; an optional + in front;
# letters may touch it (SĐT0912345678), other digits and decimals may not. Possessive
# digit runs (\d++): a run is never split, so a long one that fails the lookahead costs
# one pass, not one per way of cutting it (26 digits took 6 s).
# A dot or dash may stand before it after a word ("Tel.0912…", "SĐT-0912…"), not after a
# digit (a decimal); a slash may stand between two numbers ("0912345678/0987654321") and
# after a word ("SĐT/0912…"), not before a word (1234/QĐ-UBND).
_NUMBER = re.compile(r"(?<![0-9+(_])(?<![0-9][.,-])(\(?\+?\d++\)?(?:[ .\-]?\(?\d++\)?)*+)(?![0-9_]|/\D|[.,-]\d)")
_GROUP = re.compile(r"\+?\d++")
# marks a reader does not see (soft hyphen, zero-width, bidi), as a regex class's inside:
# readable_text drops them and the cheap pre-check squeezes them, so one list serves both
INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"[^\S\n]+")  # white space but line breaks: one space
_AMOUNT = re.compile(r"^[1-9]\d{0,2}([. ])\d{3}(?:\1\d{3})*$")  # 1.500.000 or 1 000 000 000: thousands, no leading 0
_ID_WORDS = re.compile(r"(?:cmnd|cccd|căn cước|chứng minh|định danh)\D{0,20}$", re.IGNORECASE)
# Every finding is an e-mail (an "@") or a number of at least 9 digits, and _NUMBER lets at
# most ")", one separator and "(" stand between two digits: a text without either holds
# nothing (most texts). The first check runs before readable_text, so it must pass every
# text that readable_text could turn into a finding: white space and invisible marks
# squeezed out, entities ("&") and digits NFKC makes plain (superscripts, circled) waved on.
_SQUEEZE = re.compile(f"[\\s{INVISIBLE}]+")
_SQUEEZABLE = re.compile(f"\\s\\s|[{INVISIBLE}]")
_LOOSE_DIGITS = re.compile(r"\d(?:\D{0,4}\d){8}")
_OTHER_DIGITS = re.compile("[\U0001d7ce-\U0001d7ff\uff10-\uff19\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u2776-\u2793\u3220-\u3229\u3280-\u3289]")
_NINE_DIGITS = re.compile(r"\d(?:[)( .\-]{0,3}\d){8}")
MAX_DIGITS = 14  # the longest number a finding has: 0084 and 10 digits
CONTEXT = 60  # characters of the line before kept as context (ID words, a broken number)
NUMBER_CHARACTERS = "0123456789 .-()+"
_LEADING_NUMBER = re.compile(r" ?\d[\d .\-()]*+")


@dataclass(frozen=True)
class Finding:
    kind: str  # PHONE, ID_NUMBER or EMAIL
    text: str  # as written
    key: str  # normalised, to compare with public_contact
    line: int = 0  # of the text searched, from 0

    @property
    def masked(self) -> str:
        """Enough to find it in the file, not enough to copy it from a build log."""
        if self.kind == EMAIL:
            user, _, domain = self.text.partition("@")
            return f"{user[:1]}***@{domain}"
        return self.key[:3] + "*" * (len(self.key) - 5) + self.key[-2:]


def readable_text(text: str) -> str:
    """`text` as a reader sees it, for the search (see the module docstring); line breaks
    are kept (find_personal_data reads a number broken over two lines as one)."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _DASHES.sub("-", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    return _SPACES.sub(" ", text.replace("\r\n", "\n"))


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
    """Phone numbers, ID numbers and e-mail addresses in a text of one or more lines (a
    value, a paragraph of the story), in order; `Finding.line`: the line it starts on.

    Each line is searched alone, with the end of the line before it as context (an ID
    word on one line, the number on the next). A number broken over line breaks
    ("0905 123" / "456." or over three lines) is searched joined, from the line where
    it starts, as long as what came before is nothing alone: a reader sees one number.
    Joining whole lines instead merged a hotline with the count on the next line into a
    false ID number, and two numbers on two lines into neither."""
    if not _may_hold_a_finding(text):
        return []
    # lines first, then each made readable: an entity that decodes to a line break
    # (&#10;) must not move the findings' line numbers
    lines = [readable_text(line).replace("\n", " ") for line in text.replace("\r\n", "\n").split("\n")]
    found: list[Finding] = []
    carry, carry_line = "", 0  # the end of the lines before, still open for a broken number
    for index, line in enumerate(lines):
        context = lines[index - 1][-CONTEXT:] if index else ""
        own = _find_in_line(line, context)
        found += [dataclasses.replace(finding, line=index) for finding in own]
        head = _LEADING_NUMBER.match(line)
        if carry and head:
            joined = carry + " " + head.group(0).strip()
            known = {finding.key for finding in found}
            bridged = [finding for finding in _find_in_line(joined) if finding.key not in known]
            found += [dataclasses.replace(finding, line=carry_line) for finding in bridged]
            if not bridged and not own and head.end() >= len(line.rstrip()):
                carry = joined[-CONTEXT:]  # the whole line is a piece of the number: go on
                continue
        tail = _trailing_number(line)
        carry, carry_line = (line.rstrip()[-CONTEXT:], index) if tail and not _find_in_line(tail) else ("", 0)
    return found


def _trailing_number(line: str) -> str:
    """The digits and separators a line ends with (linear: a regex searched from every
    start took 42 s on a 100,000-digit line)."""
    stripped = line.rstrip()
    tail = stripped[len(stripped.rstrip(NUMBER_CHARACTERS)) :].lstrip(" .-()")
    return tail if tail[:1].isdigit() or tail[:1] == "+" else ""


def _may_hold_a_finding(text: str) -> bool:
    """False for a text readable_text cannot turn into a finding (most texts), cheaply:
    squeezed only when it has white space or marks to squeeze (a run of two or more)."""
    if "@" in text or "&" in text or _OTHER_DIGITS.search(text):
        return True
    if sum(map(text.count, "0123456789")) < 9:  # ten counts in C: most texts stop here
        return False
    return _LOOSE_DIGITS.search(text) is not None or (_SQUEEZABLE.search(text) is not None and _LOOSE_DIGITS.search(_SQUEEZE.sub("", text)) is not None)


def _find_in_line(text: str, context: str = "") -> list[Finding]:
    """Findings in one readable line; `context`: the end of the line before it (an ID
    word there names the number at the start of this one)."""
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
        before = context + " " + clean[: match.start()]
        kind = _classify(number, before)
        if kind:
            found.append(Finding(kind, number, contact_key(number)))
        elif not _AMOUNT.match(number):
            found += _find_in_runs(number, before)
    return found


def _find_in_runs(number: str, before: str) -> list[Finding]:
    """Numbers inside a run of groups that is none as a whole: two phones side by side
    ("0912345678 - 0987654321"), a code before one ("Phòng P3 0912345678"). Each run
    of whole groups starting with 0 or + (as phones and ID numbers do), longest first."""
    groups = list(_GROUP.finditer(number))
    found, start = [], 0
    while start < len(groups):
        first = groups[start]
        # only phones, starting with a group of three digits or more (0912, 024, +84):
        # runs of small groups ("các xã 01 02 03 04 05 06") and ID-long runs inside
        # account numbers were false finds
        if first.group(0)[0] in "0+" and len(first.group(0)) >= 3:
            last, digits = start, 0  # runs of at most MAX_DIGITS digits: linear in the groups
            while last < len(groups) and digits + len(groups[last].group(0).lstrip("+")) <= MAX_DIGITS:
                digits += len(groups[last].group(0).lstrip("+"))
                last += 1
            for end in range(last - 1, start - 1, -1):
                if (start, end) == (0, len(groups) - 1):
                    continue  # the whole run: classified already
                part = number[first.start() : groups[end].end()]
                if _classify(part, before) == PHONE:
                    found.append(Finding(PHONE, part, contact_key(part)))
                    start = end
                    break
        start += 1
    return found


def _classify(number: str, before: str) -> str | None:
    if _AMOUNT.match(number) and not _ID_WORDS.search(before):  # "số CMND 123.456.789" is no amount
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
    if len(digits) in (9, 12) and _ID_WORDS.search(before):
        return ID_NUMBER
    # unnamed, a 0 first and written whole or in groups of three or more ("001 099 012
    # 345"): "tổ 05 0912 345 678" is a group number and a phone, not a CCCD
    if len(digits) in (9, 12) and digits[0] == "0" and len(_GROUP.match(number).group(0)) >= 3:
        return ID_NUMBER
    return None
