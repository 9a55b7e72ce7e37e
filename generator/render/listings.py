"""Every page but the entries' own, taken from the last build group by group.

A story edit, the commonest change (an editor fixes a sentence), leaves each listing,
place, view, statistics and section page with the projection it had: those pages see
entries only as cards, without the story (projection.py). The next commonest, a title,
summary or unit, changes the cards of one entry, and only the pages that show that
entry: its district's, its ward's, its field's, its year's… (a year, field or level edit
a few more). Gathering and digesting the arguments of all 1,700 pages of up to 48 cards
each, and counting every statistics table again, was about 0.4 s of such a rebuild at
10,000 entries.

So the pages come in `ListingGroup`s (render/groups.listing_groups): the pages of one
district, of one ward, of one field, one statistics scope… each with its *members*, the
entries whose cards or counts its pages may show. A group's key is the digest of:
- `structure_key`: the site-wide facts of `Projector.base` (salt, options, places,
  images), the years, and every entry's *structure*: its card without the fields that
  only the groups it is a member of read (projection.DISPLAY_FIELDS: title, year, field…),
  in the order of the entries' ids (the site's order follows titles and years);
- its name and its members' card digests, in order (a member added, gone or moved in
  the order changes the key; so does any field of a member).

A page reads another entry only through those two (templates see entries as cards of
their arguments, projection.py), so a group whose key is the same renders the same
pages. Groups without members (the home page's newest entries change with any title)
are rendered every time; they are few and small.

A build whose memo holds the structure key takes each group whose key is unchanged as
it was, after checking that the output cache still has each page it does not carry
whole; the others are rendered. The memo is duck-typed (`recall(key)`, `keep(key,
value)`) so this module stays pure: the plugin passes a build.CachedMemo, which keeps it
in the output cache beside the pages it names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Callable

from .core import Renderer
from .spec import SECTION, FileSpec, PageSpec

MEMO_VERSION = "groups-1"  # what the memo holds: {group name: (key, pages, files)}
_ID_OF = attrgetter("id")


@dataclass(frozen=True)
class Listings:
    """The non-entry pages of one render run, in render order, and the files they made."""

    before: tuple[PageSpec, ...]  # render order: these come before the entry pages
    after: tuple[PageSpec, ...]
    files: tuple[FileSpec, ...]


@dataclass(frozen=True)
class ListingGroup:
    """Pages made together from the same entries (see the module docstring)."""

    name: str  # unique in a render run
    members: list | None  # the entries its pages may show, in order; None: always rendered
    make: Callable[[], tuple[list[PageSpec], list[FileSpec]]]
    after: bool = False  # placed after the entry pages


def structure_key(r: Renderer) -> str:
    """The digest of the site-wide facts every group may read (see the module docstring)."""
    # by id: the site's order follows titles, which only a group's members may show
    entries = sorted(r.site.entries.values(), key=_ID_OF)
    r.projector.digest_all(entries)
    # the years every statistics page links to
    return r.projector.digest(r.projector.base, MEMO_VERSION, r.site.years(), r.projector.structures(entries))


def group_key(r: Renderer, structure: str, group: ListingGroup) -> str:
    members = r.projector.cards(group.members)  # digested by structure_key, called first
    return hashlib.sha256(f"{structure}\x1f{group.name}\x1f{members}".encode("utf-8")).hexdigest()


def render_groups(groups: list[ListingGroup]) -> Listings:
    """Every group rendered (no memo)."""
    return _assemble(groups, lambda group: group.make())


def recall_or_render_listings(r: Renderer, memo, groups: list[ListingGroup]) -> Listings:
    """The listings of `groups`, each taken from the memo when its key is unchanged and
    the build can still place every one of its pages, else rendered (and kept)."""
    if memo is None or r.projector is None:
        return render_groups(groups)
    structure = structure_key(r)
    held = memo.recall(structure)
    held = held if isinstance(held, dict) else {}
    kept: dict[str, tuple] = {}

    def take(group: ListingGroup) -> tuple[list[PageSpec], list[FileSpec]]:
        key = group_key(r, structure, group) if group.members is not None else None
        found = held.get(group.name) if key is not None else None
        if found is not None and found[0] == key and all(_placeable(r, page) for page in found[1]):
            kept[group.name] = found  # the same object: comparing the memos is then quick
            return list(found[1]), list(found[2])
        pages, made = group.make()
        pages = [_rendered_section(page) for page in pages]
        if key is not None:
            kept[group.name] = (key, tuple(map(_storable, pages)), tuple(made))
        return pages, made

    listings = _assemble(groups, take)
    if kept != held:
        memo.keep(structure, kept)
    return listings


def _assemble(groups: list[ListingGroup], take: Callable[[ListingGroup], tuple[list[PageSpec], list[FileSpec]]]) -> Listings:
    """The groups' pages (before or after the entry pages) and files, in group order."""
    before: list[PageSpec] = []
    after: list[PageSpec] = []
    files: list[FileSpec] = []
    for group in groups:
        pages, made = take(group)
        (after if group.after else before).extend(pages)
        files.extend(made)
    return Listings(tuple(before), tuple(after), tuple(files))


def _placeable(r: Renderer, page: PageSpec) -> bool:
    """A kept section page carries its Markdown; any other must still be in the output cache."""
    return bool(page.content) or r.reuse(page.uri, page.projection)


def _rendered_section(page: PageSpec) -> PageSpec:
    """Section pages (the navigation's) rendered now, so the memo can carry them whole:
    mkdocs renders those itself each build, they are never taken from the output cache."""
    return page.deferred() if page.role == SECTION and page.deferred is not None else page


def _storable(page: PageSpec) -> PageSpec:
    """What the memo keeps of a page: a section page whole, any other by its projection
    (the build that rendered it stores its output under that projection)."""
    if page.role == SECTION and not page.reused:
        return page
    return replace(page, content="", blocks=(), token_prefix="", reused=True, deferred=None, meta=None, meta_end=0)
