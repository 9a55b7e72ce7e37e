"""Where every page lives: one table of URI patterns, and relative links between pages.

Generated pages put their links inside raw HTML, which mkdocs neither rewrites nor
checks, so the render stage computes relative URLs itself. Keeping every pattern here
means a renamed section changes in one place, and the link checker in the tests covers
all of them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..model import Entry, Place
from ..vocab import Term

# Section roots (Vietnamese, without diacritics, as citizens would type them).
HOME = ""
PLACES = "dia-ban"
DISTRICT = "quan-huyen"
WARD = "phuong-xa"
FIELDS = "linh-vuc"
LEVELS = "cap"
YEARS = "nam"
EXEMPLARS = "dien-hinh-tieu-bieu"
EVENTS = "su-kien-theo-thoi-gian"
AWARDS = "khen-thuong"
SEARCH = "tim-kiem"
ASSETS = "assets/dvk"
IMAGES = "anh"

_ENTRY_ROOTS = {"model": "mo-hinh", "exemplar": "dien-hinh", "event": "su-kien"}


@dataclass(frozen=True)
class Linker:
    """Turns page paths ("quan-huyen/tay-ho/") into links relative to the current page.

    Paths are directory-style ("a/b/") or file-style ("a/b.css"); "" is the home page.
    `directory_urls` mirrors the mkdocs option of the same name.
    """

    directory_urls: bool = True

    def uri(self, path: str) -> str:
        """Source URI of a generated Markdown page for a directory-style path."""
        return f"{path}index.md" if path else "index.md"

    def url(self, path: str) -> str:
        """Site URL (relative to the site root) of a path."""
        if path.endswith("/") or path == "":
            return path if self.directory_urls else f"{path}index.html"
        return path

    def rel(self, from_path: str, to_path: str) -> str:
        """Link from the page at from_path to to_path, relative, as browsers resolve it."""
        here = self.url(from_path)
        base = here.rstrip("/") if here.endswith("/") or here == "" else posixpath.dirname(here)
        target = self.url(to_path)
        rel = relative_path(target or ".", base or ".")
        if (target == "" or target.endswith("/")) and not rel.endswith("/"):
            rel += "/"
        return "./" if rel in (".", "./") else rel


def relative_path(target: str, base: str) -> str:
    """posixpath.relpath for two site paths (relative, no ".." in them): by segments.

    Pages link to each other 150,000 times at 10,000 entries; relpath makes both paths
    absolute against the working directory first, which was 3 CPU seconds of a build."""
    if target.startswith("/") or base.startswith("/") or ".." in target.split("/") or ".." in base.split("/"):
        return posixpath.relpath(target, base)
    to = [part for part in target.split("/") if part and part != "."]
    at = [part for part in base.split("/") if part and part != "."]
    same = 0
    for a, b in zip(to, at):
        if a != b:
            break
        same += 1
    return "/".join([".."] * (len(at) - same) + to[same:]) or "."


def entry_path(entry: Entry) -> str:
    return f"{_ENTRY_ROOTS[entry.kind.id]}/{entry.id}/"


def place_path(place: Place) -> str:
    root = DISTRICT if place.is_district else WARD
    return f"{root}/{place.id}/"


def term_path(term: Term) -> str:
    root = FIELDS if term.vocab == "field" else LEVELS
    return f"{root}/{term.id}/"


def year_path(year: int) -> str:
    return f"{YEARS}/{year}/"


def events_year_path(year: int) -> str:
    return f"{EVENTS}/{year}/"


def awards_year_path(year: int) -> str:
    return f"{AWARDS}/{year}/"


def district_field_path(place: Place, term: Term) -> str:
    return f"{place_path(place)}{term.id}/"


def page_path(base: str, number: int) -> str:
    """Path of page `number` (1-based) of a paginated listing rooted at base."""
    return base if number == 1 else f"{base}trang-{number}/"


def image_path(src: str) -> str:
    """Site path of an image given by its path relative to content/."""
    return f"{IMAGES}/{src}"


# Open data: the statistics pages and the published data files.
STATS = "thong-ke"
DATA_PAGE = "du-lieu"
DATA = "data"


def stats_path(year: int | None = None, district: Place | None = None) -> str:
    """thong-ke/, thong-ke/nam-2024/, thong-ke/tay-ho/ (one filter at a time)."""
    if year is not None:
        return f"{STATS}/nam-{year}/"
    if district is not None:
        return f"{STATS}/{district.id}/"
    return f"{STATS}/"


def stats_csv_path(page_path: str, table_id: str) -> str:
    """The CSV of one chart: data/thong-ke/<scope>/<table>.csv beside the other data files."""
    scope = page_path.removeprefix(f"{STATS}/").strip("/") or "tat-ca"
    return f"{DATA}/{STATS}/{scope}/{table_id}.csv"


FEED_NAME = "feed.xml"


def feed_path(place: Place | None = None) -> str:
    """Atom feeds: feed.xml at the site root, quan-huyen/<id>/feed.xml for a district."""
    return f"{place_path(place)}{FEED_NAME}" if place else FEED_NAME


CSL_DIR = f"{DATA}/trich-dan"  # one CSL-JSON file per entry, nothing else


def csl_path(entry: Entry) -> str:
    """An entry's citation for reference managers (CSL-JSON)."""
    return f"{CSL_DIR}/{entry.id}.json"
