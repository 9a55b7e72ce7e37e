"""The site search index, written by the core from search records: folded words in shards.

Why not Pagefind any more (it indexed these records until 2026-11): at 10,000 entries it
took about ten CPU seconds and a 1 GB process on every build, and a query made of common
syllables ("dinh cong": both words on 9,578 of 10,000 pages) took 3.6 s in the browser,
because it scores every page of every word with positions it then drops. Vietnamese needs
none of its machinery: the records are already folded (no marks, đ -> d, one tone
placement) and cut into syllables by spaces. What a query needs is a list of pages per
word, a weight per page, and whether the words stand next to each other in the title,
place or summary; that is what this bundle holds, and theme/assets/dvk/search-engine.js
reads it.

Layout of the bundle (folder `BUNDLE` in the site), every file deterministic JSON:
- `index.json`: the page count, section weights, each page's word count (a match in a
  short page weighs more, as in BM25), the filter groups with each page's value, and the
  content-hashed names of the other files (so the small fixed-name file
  is the only one a browser must revalidate);
- `w/<hash>.json`: one shard of the word index, {word: postings}. A shard holds the
  words that start with its key; a key whose postings grow past `SHARD_BYTES` is split
  into longer keys, so common openings ("th", "ng", "tr") come in smaller pieces. Pairs of
  adjacent words ("dinh cong") from the title, place and summary sit in the shard of
  their first word and make exact phrases rank first. Postings are ascending page
  numbers, delta-coded, times a width plus a tag: for a word the section it weighs most
  in, for a pair the bits of the sections that have it;
- `p/<hash>.json`: what a result shows, `PAGES_PER_CHUNK` pages a file: url, title,
  summary, kind, place, year, as text (the script inserts them with textContent).
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import shutil
from collections import defaultdict
from pathlib import Path

from ..render.search import SEARCH_BUNDLE
from ..text import vn_sort_key
from .records import FILTERS, LANGUAGE, PAIR_SECTIONS, SECTION_WEIGHTS, SearchRecord

BUNDLE = SEARCH_BUNDLE.rstrip("/")  # folder of the bundle inside the site
FORMAT = 1  # bumped when the files change shape: search.js refuses a bundle it cannot read
SHARD_BYTES = 24_000  # postings per shard (JSON bytes, before compression) before it is split
MAX_KEY = 4  # longest shard key: a word's first letters
# shards a word being typed may open (its own and longer keys continuing it); beyond, the
# search page waits for more letters ("th" opens dozens at 10,000 entries)
MAX_PREFIX_SHARDS = 12
PAGES_PER_CHUNK = 50
WORD_WIDTH = len(SECTION_WEIGHTS)  # a word's posting: page delta * WORD_WIDTH + section
PAIR_WIDTH = 1 << PAIR_SECTIONS  # a pair's posting: page delta * PAIR_WIDTH + section bits
META_FIELDS = ("title", "summary", "kind", "place", "year")  # after the url, in this order


class SearchIndexError(Exception):
    """The index could not be written (the message says why, in Vietnamese)."""


def write_search_index(records: list[SearchRecord], site_dir: Path, keeper=None, same_in: Path | int | None = None) -> Path:
    """Write the bundle for `records` to site_dir/BUNDLE (replaced whole); return its path.
    `keeper`: the BundleKeeper of the last bundle, updated instead of making it all again;
    `same_in`: a site (or its descriptor) whose bundle files with the same bytes are
    linked, not written (build/cache.write_inside): after one edit most of the 470 files of
    a 10,000-entry bundle are unchanged, and writing them took 0.4 s of the run a build
    waits for."""
    from ..build.cache import open_folder, write_inside
    from .keeper import BundleKeeper

    files = (keeper or BundleKeeper()).make(records)
    target = Path(site_dir) / BUNDLE
    staging = target.with_name(target.name + ".tmp")
    if isinstance(same_in, int):
        same = open_folder(BUNDLE, dir_fd=same_in)
    else:
        same = Path(same_in) / BUNDLE if same_in is not None else None
    try:
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        made: set[str] = set()
        for name, data in sorted(files.items()):
            write_inside(staging, name, data, same, made)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"không ghi được chỉ mục tìm kiếm vào {target}: {error.strerror or error}") from None
    finally:
        if isinstance(same, int):
            os.close(same)
    return target


def make_index(pages: list[tuple[dict[str, str], int]], chunks: list[str], shards: dict[str, str]) -> dict:
    """index.json from each page's (filter values, word count) and the other files' names."""
    return {
        "format": FORMAT,
        "language": LANGUAGE,
        "pages": len(pages),
        "weights": list(SECTION_WEIGHTS),
        "pair_width": PAIR_WIDTH,
        "chunk": PAGES_PER_CHUNK,
        "max_key": MAX_KEY,
        "prefix_shards": MAX_PREFIX_SHARDS,
        "chunks": chunks,
        "shards": dict(sorted(shards.items())),
        "filters": collect_filter_columns([filters for filters, _ in pages]),
        "lengths": [length for _, length in pages],
    }


def _delta(entries: list[int], width: int) -> list[int]:
    """Ascending page * width + tag entries as page deltas * width + tag: entry minus the
    previous entry's page * width (one subtraction in C per entry; a loop with divmod was
    a second of the 10,000-entry index)."""
    if not entries:
        return []
    bases = [0]
    bases += [entry - entry % width for entry in entries[:-1]]
    return list(map(operator.sub, entries, bases))


def split_group(letter: str, group: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """The shards of the terms starting with one letter: a key whose terms are too large
    is split one letter deeper, so common openings ("th", "ng", "tr") come in smaller
    pieces. A term's shard is the longest key that starts its first word (search.js finds
    it the same way), so a word shorter than a split key stays in the shorter key's shard.
    Groups are split apart from each other (BundleKeeper splits only those an edit touched)."""
    done: dict[str, dict[str, list[int]]] = {}
    pending = [(letter, group)]
    while pending:
        key, terms = pending.pop()
        if len(key) >= MAX_KEY or _size(terms) <= SHARD_BYTES:
            done[key] = terms
            continue
        deeper: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for term, coded in terms.items():
            first = term.split(" ", 1)[0]
            deeper[first[: len(key) + 1] if len(first) > len(key) else key][term] = coded
        if len(deeper) == 1 and key not in deeper:  # every term shares one more letter
            pending.extend(deeper.items())
            continue
        done[key] = deeper.pop(key, {})
        pending.extend(sorted(deeper.items()))
    return {key: terms for key, terms in done.items() if terms}


def collect_filter_columns(filters: list[dict[str, str]]) -> list[dict]:
    """Each filter group: its name, its values (ordered as the search page shows them),
    and for each page the number of its value, or -1 when the page has none. `filters`:
    each page's {group: value} (dict(record.filters))."""
    names = list(FILTERS) + sorted({name for held in filters for name in held} - set(FILTERS), key=vn_sort_key)
    columns = []
    for name in names:
        per_page = [held.get(name) for held in filters]
        values = sorted({value for value in per_page if value is not None}, key=_value_order)
        if not values:
            continue
        number = {value: i for i, value in enumerate(values)}
        columns.append({"name": name, "values": values, "pages": [number.get(value, -1) for value in per_page]})
    return columns


def _value_order(value: str):
    """Years newest first, other values in Vietnamese order."""
    return (0, -int(value), "") if value.isdigit() else (1, 0, vn_sort_key(value))


def _page_row(record: SearchRecord) -> list[str]:
    meta = dict(record.meta)
    return [record.url.lstrip("/"), *(meta.get(name, "") for name in META_FIELDS)]


def _size(terms: dict[str, list[int]]) -> int:
    """About the JSON bytes of a shard (a posting averages three digits and a comma)."""
    return sum(len(term) + 6 + 4 * len(coded) for term, coded in terms.items())


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _hashed(folder: str, value) -> tuple[str, bytes]:
    data = _json(value)
    return f"{folder}/{hashlib.sha256(data).hexdigest()[:16]}.json", data
