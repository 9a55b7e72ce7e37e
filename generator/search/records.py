"""Search records: what the site search knows about each entry, made in the core.

The index used to be built by running Pagefind over the whole written site after every
build (a quarter of the build time) and it indexed each page twice: the text a reader
sees plus a hidden folded copy for "dinh cong". A record is made from the entry instead:
one per model, exemplar and event, pure and cheap, so a build can memoise it per entry
and hand the lot to the indexer (generator/search/index.py).

The text of a record is *folded* (generator/text.py: no marks, đ -> d, one tone
placement) and cut into plain words; the search page folds the query the same way
(theme/assets/dvk/search-engine.js), so "Định Công", "dinh cong", "hoà" and "hòa" all meet the
same words and rank alike, and each word is indexed once. What a reader sees of a result
(title, summary, kind, place, year) travels as meta, in its original spelling.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..derive import Site
from ..model import Entry, Event, Model
from ..render.env import kind_label, place_line
from ..render.search import FILTER_FIELD, FILTER_KIND, FILTER_LEVEL, FILTER_ORDER, FILTER_PLACE, FILTER_YEAR
from ..render.urls import Linker, entry_path
from ..text import fold

LANGUAGE = "vi"

# Filter names and their order: one home, shared with the search page's script.
FILTERS = FILTER_ORDER

# Weight of each part of a record: a match in the title outranks one in the place or
# unit, which outranks the summary, then the story (search-engine.js reads them from the index).
WEIGHT_TITLE = 10.0
WEIGHT_PLACE = 6.0
WEIGHT_SUMMARY = 3.0
WEIGHT_BODY = 1.0
SECTION_WEIGHTS = (WEIGHT_TITLE, WEIGHT_PLACE, WEIGHT_SUMMARY, WEIGHT_BODY)  # section numbers in the index
PAIR_SECTIONS = 3  # adjacent-word pairs are kept from the title, place and summary: phrases rank first

_WORD = re.compile(r"[^\W_]+")
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")  # "[text](https://…)": the text is searchable, the address is not
_HTML_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class SearchRecord:
    """One search result: where it leads, its folded words by weight, meta and filters.

    `sections` are (weight, folded words) pairs; `meta` is shown on the result line
    (title, summary, kind, place, year), `filters` are the groups the search page offers;
    `pairs` are (section number, "word word" pairs of adjacent words) of the title, place
    and summary, so a phrase typed in full ranks first.
    Frozen and made of strings, so a build can hash and cache it.
    """

    url: str
    sections: tuple[tuple[float, str], ...]
    meta: tuple[tuple[str, str], ...]
    filters: tuple[tuple[str, str], ...]
    language: str = LANGUAGE
    pairs: tuple[tuple[int, tuple[str, ...]], ...] = field(default=())

    @property
    def text(self) -> str:
        """All indexed words, heaviest part first."""
        return " ".join(words for _, words in self.sections if words)

    @property
    def fingerprint(self) -> bytes:
        """A digest of every field, kept on the record (and pickled with it: the records
        memo of `dvk build` holds it), so the search bundle finds the records changed
        since its last make (search/keeper.py) without 15 MB of repr at 10,000 entries."""
        found = self.__dict__.get("_fingerprint")
        if found is None:
            fields = (self.url, self.sections, self.meta, self.filters, self.language, self.pairs)  # tuples of str and numbers: repr is exact
            found = hashlib.blake2b(repr(fields).encode("utf-8"), digest_size=16).digest()
            object.__setattr__(self, "_fingerprint", found)  # not a field: not in repr or ==
        return found


def collect_search_records(site: Site, directory_urls: bool = True, memo: dict | None = None) -> list[SearchRecord]:
    """One record per entry (models, exemplars, events), in URL order (deterministic).

    `memo` (kept by `dvk serve` across rebuilds, whose validator keeps the entry objects of
    unchanged files): records of the same entry objects with the same places and URL
    style are taken from it, and it is left holding this build's records only."""
    linker = Linker(directory_urls)
    memo = {} if memo is None else memo
    places = _places_key(site, directory_urls)
    kept = {}
    for entry in site.entries.values():
        held = memo.get(id(entry))
        if held is None or held[0] is not entry or held[1] != places:
            held = (entry, places, make_search_record(entry, site, linker))
        kept[id(entry)] = held
    memo.clear()
    memo.update(kept)
    return sorted((held[2] for held in kept.values()), key=lambda record: record.url)


RECORDS_UNSAVED_MAX = 50  # records made anew that the kept file may lack (export.memo.save_memo)


def collect_search_records_kept(site: Site, directory_urls: bool, cache_file: Path) -> list[SearchRecord]:
    """collect_search_records for `dvk build` (a new process each time): the records of
    entries with the same digest (every field) as at the last build, with the same places,
    URL style and dvk code, come from `cache_file` (2 CPU seconds at 10,000 entries, in
    the background run a one-edit build waited for). A record depends only on its entry
    and the places by construction (make_search_record). A few records made anew do not
    rewrite the file: writing all 10,000 took half a second of that run, making them again
    a fraction of a millisecond each."""
    from ..build.fingerprint import code_version, hash_parts
    from ..export.memo import read_memo, save_memo

    linker = Linker(directory_urls)
    memo = read_memo(cache_file, hash_parts(code_version(), _places_key(site, directory_urls)))
    records = [memo.get(entry, "search", partial(make_search_record, entry, site, linker)) for entry in site.entries.values()]
    save_memo(cache_file, memo, unsaved_max=RECORDS_UNSAVED_MAX)
    return sorted(records, key=lambda record: record.url)


def _places_key(site: Site, directory_urls: bool) -> str:
    """What a record reads of the site besides its entry: the places and the URL style."""
    return f"{directory_urls}:{site.places_key()}"


def make_search_record(entry: Entry, site: Site, linker: Linker | None = None) -> SearchRecord:
    """The record of one entry; depends only on that entry and the place names it uses."""
    linker = linker or Linker()
    places = place_line(entry, site)
    doer = entry.unit if isinstance(entry, Model) else getattr(entry, "organizer", "")
    where = [places, doer, getattr(entry, "position", ""), getattr(entry, "location", "")]
    summary = [entry.summary, *_result_lines(entry), *entry.tags]
    parts = (
        (WEIGHT_TITLE, [entry.title]),
        (WEIGHT_PLACE, where),
        (WEIGHT_SUMMARY, summary),
        (WEIGHT_BODY, [_plain_markdown(entry.body)]),
    )
    seen: set[str] = set()  # each word once per record, where it weighs most
    folded = [[fold_words(text) for text in texts] for _, texts in parts]  # per field
    sections = [(weight, new_words(" ".join(fields), seen)) for (weight, _), fields in zip(parts, folded)]
    meta = [("title", entry.title), ("summary", entry.summary), ("kind", kind_label(entry))]
    if places:
        meta.append(("place", places))
    if entry.year:
        meta.append(("year", str(entry.year)))
    record = SearchRecord(
        url="/" + linker.url(entry_path(entry)),
        sections=tuple((weight, words) for weight, words in sections if words),
        meta=tuple(meta),
        filters=tuple(collect_filters(entry, site)),
        pairs=collect_pairs(folded[:PAIR_SECTIONS]),
    )
    record.fingerprint  # noqa: B018 - made now, so the records memo keeps it
    return record


def collect_pairs(sections: list[list[str]]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Adjacent-word pairs of each section (a list of its fields' folded words), each
    pair once per section and never across two fields: a phrase counts as one when all
    its pairs are in the same section ("dong anh" in the title and "dong da" in the
    place are not "dong anh dong da"; a place's last word and the unit's first are not
    a pair)."""
    out = []
    for number, fields in enumerate(sections):
        found: dict[str, None] = {}
        for words in fields:
            split = words.split()
            found.update(dict.fromkeys(f"{a} {b}" for a, b in zip(split, split[1:])))
        if found:
            out.append((number, tuple(found)))
    return tuple(out)


def collect_filters(entry: Entry, site: Site) -> list[tuple[str, str]]:
    """Filter values; the place filter uses the pre-2025 district, else the new ward."""
    filters = [(FILTER_KIND, "Sự kiện" if isinstance(entry, Event) else entry.kind.label)]
    district = site.places.get(entry.district_id) if entry.district_id else None
    place = district or entry.ward
    if place:
        filters.append((FILTER_PLACE, place.title))
    if isinstance(entry, Model):
        filters += [(FILTER_FIELD, entry.field.label), (FILTER_LEVEL, entry.level.label)]
    if entry.year:
        filters.append((FILTER_YEAR, str(entry.year)))
    return filters


def fold_words(text: str) -> str:
    """Folded words of text joined by single spaces: "Hoà giải, Đống Đa!" -> "hoa giai dong da".

    The search page applies the same rule to the query (search-engine.js `foldWords`): lower case,
    marks removed (so both tone placements agree), đ -> d, anything not a letter or
    digit is a word break.

    Folded a whitespace-separated chunk at a time, each chunk once per process
    (`_fold_chunk`): the result is the same, since folding maps each character alone,
    lower() looks no further than the chunk (final sigma) and whitespace breaks words
    either way; a language has few distinct chunks ("khéo," "(dân"), and folding every
    story character by character was 5 of a cold 10,000-entry build's 73 CPU seconds.
    """
    found = _FOLDED_CHUNKS.get
    words = []
    for chunk in text.split():
        folded = found(chunk)
        if folded is None:
            folded = _fold_chunk(chunk)
        if folded:
            words.append(folded)
    return " ".join(words)


_FOLDED_CHUNKS: dict[str, str] = {}
_FOLDED_CHUNKS_MAX = 200_000  # about 20 MB at most; a corpus of one language stays far below


def _fold_chunk(chunk: str) -> str:
    folded = " ".join(_WORD.findall(fold(chunk)))
    if len(_FOLDED_CHUNKS) >= _FOLDED_CHUNKS_MAX:
        _FOLDED_CHUNKS.clear()
    _FOLDED_CHUNKS[chunk] = folded
    return folded


def new_words(words: str, seen: set[str]) -> str:
    """Each word of `words` once, in first-seen order, leaving out those in `seen` (updated).

    A phone downloads the postings of the words it searches for ("dan", "van" are in
    nearly every entry, often several times). Indexing each word of a record once, in the
    heaviest part that has it, keeps every word findable and the title's weight at one
    posting per word and page; phrases are matched on adjacent pairs (`collect_pairs`).
    """
    kept: list[str] = []
    for word in words.split():
        if word not in seen:
            seen.add(word)
            kept.append(word)
    return " ".join(kept)


def _result_lines(entry: Entry) -> list[str]:
    """A model's measured results (free text); an event's results are links, not text."""
    return [line for line in entry.results if isinstance(line, str)] if isinstance(entry, Model) else []


def _plain_markdown(body: str) -> str:
    """The story's words without link targets or tags (entry text is data, never markup)."""
    return _HTML_TAG.sub(" ", _MARKDOWN_LINK_TARGET.sub("]", body))



class SearchRecords:
    """The search records of one build, made once, by whoever needs them first: the
    forked process that writes the index (so the build's own process never spends the
    time), or this process (a thread run, or a preview indexing the last good records)."""

    def __init__(self, make):
        self._make = make
        self._records = None

    def get(self) -> list:
        if self._records is None:
            self._records = self._make()
        return self._records


__all__ = ["SearchRecord", "collect_search_records", "collect_search_records_kept", "make_search_record", "collect_filters", "fold_words", "FILTERS", "LANGUAGE", "SECTION_WEIGHTS", "SearchRecords", "collect_pairs"]
