"""Projection keys: a digest of exactly the data a page is rendered from, before rendering.

A page is a function of its template, the arguments `Renderer.make_page` receives (the
entry, the cards of a listing, crumbs, pager…), and a few site-wide facts every template
may read: place names and types, which places have a page, the prepared images and the
render options. Hashing those gives a key that is known *before* the template runs, so a
build that already has the finished page for that key skips rendering it entirely.

An entry is hashed without its story (`body`) except on its own page (the `e` argument):
templates never read `body`, they get the sanitised story as the `story` argument. So
editing a story leaves every listing and related card's projection as it was.

Templates read data only through their arguments; the one exception is `site.get(id)`
in the entry template (award events, contest recipients), which the entry page declares
with `depends=`. A template that starts reading `site` elsewhere must declare it too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator

from ..derive import Site
from ..model import Award, ContestResult, Entry, Event, Image, Model, Place, Source
from ..vocab import Term

STORY_FIELDS = ("body", "body_line")  # reach a page only as its `story` argument
# Read only by the pages of listing groups the entry is a member of (render/groups.py): its
# card, the order and counts of its district's, ward's, field's, level's, year's lists and
# the overviews (whose members are every model), so listings.py's structure key leaves them
# out. Its place, kind, awards and contest results are read by other groups' pages too
# (counts of every place, an awarded entry's standing): those stay in the structure.
DISPLAY_FIELDS = ("title", "summary", "unit", "year", "field", "level")
# Value types that hold no entry: their dataclass repr is complete and deterministic.
_LEAVES = (Term, Place, Image, Award, Source, ContestResult, str, int, float, bool, type(None))
_LEAF_TYPES = frozenset(_LEAVES)  # exactly these types (a subclass takes the isinstance path)
_ENTRY_TYPES = frozenset((Model, Event))


# An entry's digests are a function of its field values only, and an entry is never changed
# after validation (a changed file makes a new entry), so they are kept on the entry itself: the validator's cache (build/persist.py) pickles entries with them, and
# a rebuild after one edit digests only that entry instead of all 10,000 again. A new
# dvk version starts that cache afresh, so a digest never outlives the code that made it.
_OWN, _CARD, _STRUCTURE = "_dvk_own_digest", "_dvk_card_digest", "_dvk_structure_digest"
_CARD_OF, _STRUCTURE_OF = operator.attrgetter(_CARD), operator.attrgetter(_STRUCTURE)
# each digest kept on an entry -> the fields it leaves out
_DIGESTS = {_OWN: (), _CARD: STORY_FIELDS, _STRUCTURE: STORY_FIELDS + DISPLAY_FIELDS}


def _remember(entry: Entry, name: str, value: str) -> None:
    object.__setattr__(entry, name, value)  # not a field: not in repr or ==, works on frozen records too


def own_digest(entry: Entry) -> str:
    """The digest of every field of the entry, story included (kept on the entry)."""
    return _fields_digest(entry, _OWN, _DIGESTS[_OWN])


def digest_entry(entry: Entry) -> None:
    """Keep own_digest, card_digest and structure_digest on the entry, from one walk of
    its fields: the validator digests every entry of a first build (10,000 at the bench),
    and three walks (one of them the dataclass repr) were a tenth of its CPU."""
    if all(getattr(entry, name, None) is not None for name in (_OWN, _CARD, _STRUCTURE)):
        return
    plains = [(f.name, _plain(getattr(entry, f.name))) for f in dataclasses.fields(entry)]
    for name, leave_out in _DIGESTS.items():
        _remember(entry, name, _digest_of(entry, [plain for field, plain in plains if field not in leave_out]))


class Projector:
    """Digests of page arguments for one render run; each entry is serialised once."""

    def __init__(self, site: Site, options, images, salt: str = ""):
        places = sorted(site.places.places.items()) if hasattr(site.places, "places") else []
        self.base = self.digest(
            salt,
            repr(options),
            [_plain(place) for _, place in places],
            sorted(site.by_district),
            sorted(site.by_ward),
            sorted((str(path), repr(found)) for path, found in (images or {}).items()),
        )

    def digest(self, *parts) -> str:
        return hashlib.sha256("\x1f".join(map(_plain, parts)).encode("utf-8")).hexdigest()

    def own(self, entry) -> str:
        """The full digest of a page's own entry, story included."""
        return own_digest(entry) if isinstance(entry, Entry) else ""

    def digest_all(self, entries) -> None:
        """Compute the card and structure digests of `entries` not known yet, so that
        `cards` and `structures` only read them (listings.py asks for 80,000 at 10,000
        entries, one attribute lookup each)."""
        for entry in entries:
            card_digest(entry)
            structure_digest(entry)

    @staticmethod
    def cards(entries) -> str:
        """The card digests of `entries` (digest_all'ed), in order, as one text."""
        return ",".join(map(_CARD_OF, entries))

    @staticmethod
    def structures(entries) -> str:
        """The structure digests (cards without DISPLAY_FIELDS) of `entries`, as one text."""
        return ",".join(map(_STRUCTURE_OF, entries))


def card_digest(entry: Entry) -> str:
    """Digest of an entry as a card or reference shows it: every field but the story (kept
    on the entry, like own_digest: the validator computes it, see validate.check_file)."""
    return _fields_digest(entry, _CARD, _DIGESTS[_CARD])


def structure_digest(entry: Entry) -> str:
    """card_digest without DISPLAY_FIELDS (render/listings.py's structure key)."""
    return _fields_digest(entry, _STRUCTURE, _DIGESTS[_STRUCTURE])


def _fields_digest(entry: Entry, name: str, leave_out: tuple[str, ...]) -> str:
    """The digest of the entry's fields but `leave_out`, kept on the entry as `name`."""
    found = getattr(entry, name, None)
    if found is None:
        found = _digest_of(entry, [_plain(getattr(entry, f.name)) for f in dataclasses.fields(entry) if f.name not in leave_out])
        _remember(entry, name, found)
    return found


def _digest_of(entry: Entry, plains: list[str]) -> str:
    """The digest of `Type(field, field, …)` from the fields' _plain texts: the one formula
    of all three digests, whichever function made them."""
    return hashlib.sha256(f"{type(entry).__name__}({','.join(plains)})".encode("utf-8")).hexdigest()


def _plain(value) -> str:
    """A deterministic text form of a template argument (entries by their digest).

    The common exact types first, by one set lookup (a one-edit rebuild at 10,000
    entries makes 430,000 of these calls); anything else, subclasses included, goes
    through the isinstance chain, with the same text either way."""
    kind = type(value)
    if kind in _LEAF_TYPES:
        return repr(value)
    if kind is list or kind is tuple:
        return "[" + ",".join(map(_plain, value)) + "]"
    if kind in _ENTRY_TYPES:
        return f"E{card_digest(value)}"
    if isinstance(value, _LEAVES):
        return repr(value)
    if isinstance(value, Entry):
        return f"E{card_digest(value)}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_plain(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_plain(k)}:{_plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):  # sorted: a set's order changes with the hash seed
        return "{" + ",".join(sorted(map(_plain, value))) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
        return f"{type(value).__name__}({fields})"
    return repr(value)
