"""Vietnamese text handling: normalisation, folding, slugs, sort order, formatting.

Every stage that compares, sorts or indexes Vietnamese text goes through this module so
that "Hoà"/"Hòa", NFD input and "đ" are treated the same everywhere (ids, slugs, search,
the book's index). Display text is never rewritten beyond NFC.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

import icu as _icu  # PyICU: Vietnamese collation (see vn_sort_key)

# Old-style tone placement -> new style. NFC keeps "oà" and "òa" distinct, so ids and
# search keys map them together explicitly (see shared/vietnamese-text.md).
_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0303": "tilde",
    "\u0309": "hook",
    "\u0323": "dot",
}
_PAIRS = ("oa", "oe", "uy")


def _build_tone_map() -> dict[str, str]:
    mapping = {}
    for pair in _PAIRS:
        for case_pair in (pair, pair.capitalize(), pair.upper()):
            first, second = case_pair
            for mark in _TONES:
                old = unicodedata.normalize("NFC", first + second + mark)
                new = unicodedata.normalize("NFC", first + mark + second)
                mapping[old] = new
    return mapping


_TONE_MAP = _build_tone_map()
_NOT_LETTER_NEXT = r"(?![^\W\d_])"


def _pair_pattern(pairs) -> str:
    """A regex for the two-letter `pairs` not after q/Q nor before a letter, written as
    first-letter classes (`[oO](?<![qQ].)[...]`): a pattern that starts with a character
    set lets `re` skip ahead to candidates, where an alternation of 45 pairs behind a
    look-behind was tried at every position (a fifth of the time validating an entry)."""
    seconds: dict[str, set[str]] = {}
    for pair in pairs:
        seconds.setdefault(pair[0], set()).add(pair[1])
    firsts: dict[frozenset[str], list[str]] = {}
    for first, after in seconds.items():
        firsts.setdefault(frozenset(after), []).append(first)
    branches = [f"[{''.join(sorted(group))}](?<![qQ].)[{''.join(sorted(after))}]" for after, group in firsts.items()]
    return "(?:" + "|".join(sorted(branches)) + ")" + _NOT_LETTER_NEXT


# Only syllable-final pairs are ambiguous: "hoàn" has a single placement.
# After "q" the u belongs to the consonant ("quý", "Quỹ"): no placement choice there.
_OLD_RE = re.compile(_pair_pattern(_TONE_MAP))
# "qu" + y is another syllable shape ("quý"), not a placement choice.
_NEW_RE = re.compile(_pair_pattern(_TONE_MAP.values()))


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the only form dvk stores."""
    return unicodedata.normalize("NFC", text)


def normalize_tone_placement(text: str) -> str:
    """Map old-style tone placement ("hoà", "thuỷ") to the new style ("hòa", "thủy")."""
    return _OLD_RE.sub(lambda m: _TONE_MAP[m.group(0)], nfc(text))


def uses_old_tone_placement(text: str) -> bool:
    """True when text has a syllable-final oa/oe/uy with the mark on the second vowel."""
    return _OLD_RE.search(nfc(text)) is not None


def uses_new_tone_placement(text: str) -> bool:
    """True when text has a syllable-final oa/oe/uy with the mark on the first vowel."""
    return _NEW_RE.search(nfc(text)) is not None


def fold(text: str) -> str:
    """Lowercase text with every diacritic removed and đ mapped to d.

    "Đống Đa" -> "dong da", "hoà giải"/"hòa giải" -> "hoa giai". This is the key for
    search and forgiving id matching.
    """
    return text.lower().translate(_FOLD_TABLE)


class _FoldTable(dict):
    """str.translate table for `fold`, filled one character at a time as text needs it.

    Folding a character alone (NFD, drop nonspacing marks, đ -> d) equals folding it in
    context, because only the dropped marks are ever reordered; the table turns a
    per-character Python loop into one C call (search records fold every entry's story).
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        folded = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").replace("đ", "d").replace("Đ", "d")
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, separator: str = "-") -> str:
    """ASCII slug that keeps đ as d: "Đống Đa" -> "dong-da" (never "ong-a")."""
    return _SLUG_DROP.sub(separator, fold(text)).strip(separator)


def toc_slugify(value: str, separator: str) -> str:
    """Signature-compatible with markdown's toc `slugify` option."""
    return slugify(value, separator)


# Vietnamese collation comes from ICU (PyICU), the same CLDR rules browsers use for
# Intl.Collator("vi"): digits before letters, a ă â ... d đ ... o ô ơ ... u ư, tone marks as a
# secondary difference, case as a tertiary one. Numeric collation is on so that counts and
# numbered places read in natural order ("2 bước" before "10 công trình", "Mỹ Đình 2" before
# "Mỹ Đình 10"): titles here start with counts far more often than with codes, and a
# citizen reads "10" as ten, not as "1" then "0". ICU is a hard dependency (pyproject):
# importing this module without it fails at once instead of sorting some other way.

COLLATION_LOCALE = "vi-u-kn-true"  # ICU's `vi` collator with numeric ordering


def make_collator():
    """A fresh ICU collator for Vietnamese with numeric ordering (for tests and checks)."""
    return _icu.Collator.createInstance(_icu.Locale(COLLATION_LOCALE))


_COLLATOR = make_collator()


def vn_sort_key(text: str) -> tuple[bytes, str]:
    """Sort key in Vietnamese dictionary order, the one key for every list dvk prints.

    The ICU key of the text with its tone placement normalised, so "hoà" and "hòa" (and
    NFD input) sort as the same word; the NFC text breaks ties so equal keys still give
    one deterministic order.
    """
    return _vn_sort_key(str(text))


@lru_cache(maxsize=1 << 16)
def _vn_sort_key(text: str) -> tuple[bytes, str]:
    """vn_sort_key, remembered: the same titles and place names are sorted by the derive
    stage, the listings, the statistics and the feeds, and a preview (`dvk serve`) sorts
    them again on every save (at 10,000 entries the feeds alone took 1.4 s of a rebuild,
    40 µs a key)."""
    text = nfc(text)
    return (_COLLATOR.getSortKey(normalize_tone_placement(text)), text)


def format_number(value: int) -> str:
    """Vietnamese thousands separator: 3124 -> "3.124"."""
    return f"{value:,}".replace(",", ".")


def format_date(value: _dt.date | None) -> str:
    """Vietnamese date: dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_date_range(start: _dt.date, end: _dt.date | None) -> str:
    """"13/11/2018 – 16/11/2018", or one date when there is no end."""
    if end and end != start:
        return f"{format_date(start)} – {format_date(end)}"
    return format_date(start)


# C0 and C1 controls (U+0085 is what "…" becomes when a Windows-1252 file is read as
# Latin-1; a C1 control in a front-matter value made the page's YAML unreadable, its
# title lost and its front matter shown as text), DEL, zero-width and bidi marks, the
# Unicode line and paragraph separators, and a byte-order mark inside a value
_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


# what an editor is told about such a value: (message, how to fix it)
HIDDEN_CHARACTERS = ("có ký tự điều khiển hoặc ký tự ẩn", "xóa ký tự ẩn (thường do sao chép từ Word)")


# the same in a story, less what a story keeps: a line break written \r\n, and the zero-width
# (non-)joiners that hold an emoji sequence together (a family, a flag)
_HIDDEN_IN_STORY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def find_hidden_character(story: str) -> tuple[int, str] | None:
    """(line offset, character) of the first control or invisible character in a story:
    a bidi override shows its text reversed (a file name "gnp.exe" reads as "exe.png"), a
    zero-width space splits a word for search and hid a citizen ID from the privacy guard."""
    found = _HIDDEN_IN_STORY.search(story)
    return None if found is None else (story.count("\n", 0, found.start()), found.group(0))


def has_hidden_characters(text: str) -> bool:
    """Whether a one-line value holds a control or invisible character (pasted from Word,
    a web page or a mis-decoded file): refused in entries' fields and place names."""
    return _HIDDEN.search(text) is not None
