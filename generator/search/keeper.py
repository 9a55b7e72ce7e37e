"""The search bundle made again after a few records changed, from what the last make kept.

At 10,000 entries a whole bundle (generator/search/index.py) took 1.5 CPU seconds: every
word's postings gathered and delta-coded, the shards split and 560 files encoded. After
one edit one page's words change, so a `BundleKeeper` keeps the postings, the shards and
each page's fingerprint, and updates only what those words touch: their postings, the
shard groups of their first letters (split_group, the same split as a whole make), the
shards whose terms changed, the page's chunk and index.json. `dvk serve` holds one in
memory; `dvk build` keeps it on disk beside the search records (`read_keeper`).

An update is the same function of the records as a whole make (tests/search compare the
bytes after random edits). When the pages are not the same URLs in the same order (an
entry added, removed or renamed shifts every later page number), or many changed, it
makes everything again. It keeps no records: a changed page's old words are found in the
postings themselves (one look per term), so the kept state stays a third of the records'
size.
"""

from __future__ import annotations

import bisect
import os
import pickle
import threading
from collections import defaultdict
from itertools import chain
from pathlib import Path

from .index import PAGES_PER_CHUNK, PAIR_WIDTH, WORD_WIDTH, _delta, _hashed, _json, _page_row, make_index, split_group
from .records import SECTION_WEIGHTS, SearchRecord

# A keeper updates at most this many changed pages, or as many as make this many term
# lookups (each changed page is looked for in every term's postings), then makes all.
KEEP_CHANGED_MAX = 200
KEEP_LOOKUPS_MAX = 5_000_000


def make_bundle(records: list[SearchRecord]) -> dict[str, bytes]:
    """Every file of the bundle by its path inside it; same records, same bytes."""
    return BundleKeeper().make(records)


class BundleKeeper:
    """make_bundle that keeps what it made (see the module docstring)."""

    def __init__(self):
        self.urls: list[str] | None = None  # the pages of the last make, in URL order
        self.prints: list[bytes] = []  # each page's record fingerprint
        self.updated = False  # whether the last make was an update (else a whole make)
        self.changed = 0  # pages the last make updated
        self._lock = threading.Lock()  # a preview's cancelled indexing thread may still run

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_lock"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def make(self, records: list[SearchRecord]) -> dict[str, bytes]:
        records = sorted(records, key=lambda record: record.url)
        prints = [record.fingerprint for record in records]
        urls = [record.url for record in records]
        with self._lock:
            changed = [page for page, (a, b) in enumerate(zip(self.prints, prints)) if a != b] if urls == self.urls else None
            self.updated = changed is not None and len(changed) <= KEEP_CHANGED_MAX and len(changed) * len(self.coded) <= KEEP_LOOKUPS_MAX
            self.urls = None  # until the state below is whole again (an error half-way: all made next time)
            self.changed = len(changed) if self.updated else len(records)
            if self.updated:
                self._update(records, changed)
            else:
                self._make_all(records)
            self.urls, self.prints = urls, prints
            return self._files()

    def _files(self) -> dict[str, bytes]:
        files = dict(self.shard_files)
        files.update(zip(self.chunks, self.chunk_data))
        files["index.json"] = _json(make_index(self.pages, self.chunks, self.shards))
        return files

    def _make_all(self, records: list[SearchRecord]) -> None:
        self.words: dict[str, list[int]] = defaultdict(list)  # word: ascending page * WORD_WIDTH + section
        self.masks: dict[str, dict[int, int]] = defaultdict(dict)  # pair: {page: section bits}
        words, masks = self.words, self.masks
        for page, record in enumerate(records):  # _occurrences, inlined: 10,000 records
            base, seen = page * WORD_WIDTH, set()
            for weight, text in record.sections:
                section = SECTION_WEIGHTS.index(weight)
                for word in text.split():
                    if word not in seen:
                        seen.add(word)
                        words[word].append(base + section)
            for section, pairs in record.pairs:
                for pair in pairs:
                    held = masks[pair]
                    held[page] = held.get(page, 0) | (1 << section)
        self.coded = {term: self._code(term) for term in chain(self.words, self.masks)}
        groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for term, coded in self.coded.items():
            groups[_letter(term)][term] = coded
        self.shards: dict[str, str] = {}  # shard key: file name
        self.shard_files: dict[str, bytes] = {}  # file name: bytes
        for letter, group in groups.items():
            for key, terms in split_group(letter, group).items():
                self._encode_shard(key, terms)
        self.pages = [_page_facts(record) for record in records]
        self.chunks, self.chunk_data = [], []
        for start in range(0, len(records), PAGES_PER_CHUNK):
            name, data = _chunk(records, start)
            self.chunks.append(name)
            self.chunk_data.append(data)

    def _update(self, records: list[SearchRecord], changed: list[int]) -> None:
        before = self._terms_on(changed)
        after = {page: _occurrences(records[page]) for page in changed}
        touched = {term for page in changed for term in before[page].keys() | after[page].keys() if before[page].get(term) != after[page].get(term)}
        letters = {_letter(term) for term in touched}
        members: dict[str, set[str]] = {letter: set() for letter in letters}
        for term in self.coded:
            if (letter := _letter(term)) in members:
                members[letter].add(term)
        old = {letter: self._split(letter, members[letter]) for letter in letters}
        for page in changed:
            for term in touched:
                held, now = before[page].get(term), after[page].get(term)
                if held != now:
                    if held is not None:
                        self._take_off(page, term)
                    if now is not None:
                        self._put_on(page, term, *now)
        for term in touched:
            if term in self.words or term in self.masks:
                self.coded[term] = self._code(term)
                members[_letter(term)].add(term)
            else:
                self.coded.pop(term, None)
                members[_letter(term)].discard(term)
        for letter in sorted(letters):
            new = self._split(letter, members[letter])
            for key, terms in old[letter].items():
                if key not in new or new[key].keys() != terms.keys() or not touched.isdisjoint(terms):
                    self.shard_files.pop(self.shards.pop(key), None)
            for key, terms in new.items():
                if key not in self.shards:
                    self._encode_shard(key, terms)
        for page in changed:
            self.pages[page] = _page_facts(records[page])
        for chunk in sorted({page // PAGES_PER_CHUNK for page in changed}):
            self.chunks[chunk], self.chunk_data[chunk] = _chunk(records, chunk * PAGES_PER_CHUNK)

    def _terms_on(self, pages: list[int]) -> dict[int, dict[str, tuple[bool, int]]]:
        """What the postings hold of each page: {page: {term: (is a word, section | bits)}}."""
        found: dict[int, dict[str, tuple[bool, int]]] = {page: {} for page in pages}
        for term, entries in self.words.items():
            for page in pages:
                at = bisect.bisect_left(entries, page * WORD_WIDTH)
                if at < len(entries) and entries[at] < (page + 1) * WORD_WIDTH:
                    found[page][term] = (True, entries[at] - page * WORD_WIDTH)
        for term, held in self.masks.items():
            for page in pages:
                if page in held:
                    found[page][term] = (False, held[page])
        return found

    def _put_on(self, page: int, term: str, is_word: bool, value: int) -> None:
        if is_word:
            bisect.insort(self.words[term], page * WORD_WIDTH + value)
        else:
            self.masks[term][page] = value

    def _take_off(self, page: int, term: str) -> None:
        """Remove a term's entry for `page` (and the term when no page is left)."""
        entries = self.words.get(term)
        if entries is not None:
            del entries[bisect.bisect_left(entries, page * WORD_WIDTH)]
            if not entries:
                del self.words[term]
            return
        held = self.masks[term]
        del held[page]
        if not held:
            del self.masks[term]

    def _code(self, term: str) -> list[int]:
        """A term's postings, delta-coded, pages numbered in record (URL) order.

        A word's posting carries the section of its record where it weighs most (records
        index each word once): page delta * WORD_WIDTH + section. A pair's carries the
        set of sections that have it, as bits: page delta * PAIR_WIDTH + mask, so the
        search page can tell a phrase whose pairs share one section.
        """
        if term in self.words:
            return _delta(self.words[term], WORD_WIDTH)
        return _delta([page * PAIR_WIDTH + mask for page, mask in sorted(self.masks[term].items())], PAIR_WIDTH)

    def _split(self, letter: str, terms: set[str]) -> dict[str, dict[str, list[int]]]:
        return split_group(letter, {term: self.coded[term] for term in terms}) if terms else {}

    def _encode_shard(self, key: str, terms: dict[str, list[int]]) -> None:
        name, data = _hashed("w", {word: terms[word] for word in sorted(terms)})
        self.shards[key] = name
        self.shard_files[name] = data


def read_keeper(path: Path, context: str) -> BundleKeeper:
    """The keeper `save_keeper` left in `path` for the same `context` (dvk's code), else a
    new one (a missing, damaged or older file is simply made again)."""
    try:
        with open(path, "rb") as source:
            held_context, keeper = pickle.load(source)
    except Exception:  # noqa: BLE001 - a cache: anything unreadable is made again
        return BundleKeeper()
    return keeper if held_context == context and isinstance(keeper, BundleKeeper) else BundleKeeper()


SAVE_CHANGED_MIN = 20  # pages a make must have updated for save_keeper to write the state


def save_keeper(path: Path, keeper: BundleKeeper, context: str) -> None:
    """Write the keeper atomically; after an update of a few pages the file is left as it
    was: the next build compares its pages with that older state, only a few more changed
    pages (the 10,000-entry state took 0.15 s to write, an update of one page 0.02 s)."""
    if keeper.updated and keeper.changed < SAVE_CHANGED_MIN and os.path.exists(path):
        return
    from ..build.cache import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pickle.dumps((context, keeper), protocol=pickle.HIGHEST_PROTOCOL))


def _page_facts(record: SearchRecord) -> tuple[dict[str, str], int]:
    """What index.json holds of a page: its filter values and its word count (a match in
    a short page weighs more, as in BM25)."""
    return dict(record.filters), sum(len(words.split()) for _, words in record.sections)


def _chunk(records: list[SearchRecord], start: int) -> tuple[str, bytes]:
    return _hashed("p", [_page_row(record) for record in records[start : start + PAGES_PER_CHUNK]])


def _letter(term: str) -> str:
    """The shard group of a word or pair: the first letter of its first word."""
    return term.split(" ", 1)[0][:1]


def _occurrences(record: SearchRecord) -> dict[str, tuple[bool, int]]:
    """{term: (is a word, its section | its pair's section bits)} of one record."""
    found: dict[str, tuple[bool, int]] = {}
    for weight, text in record.sections:
        section = SECTION_WEIGHTS.index(weight)
        for word in text.split():
            found.setdefault(word, (True, section))  # (records hold each word once)
    masks: dict[str, int] = {}
    for section, pairs in record.pairs:
        for pair in pairs:
            masks[pair] = masks.get(pair, 0) | (1 << section)
    found.update((pair, (False, mask)) for pair, mask in masks.items())
    return found
