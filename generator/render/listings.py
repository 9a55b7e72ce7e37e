"""Every page but the entries' own, taken whole from the last build when no card changed.

A story edit, the commonest change (an editor fixes a sentence), leaves each listing,
place, view, statistics and section page with the projection it had: those pages see
entries only as cards, without the story (projection.py). Learning that still meant
gathering and digesting the arguments of 1,700 pages of up to 48 cards each and counting
every statistics table again: about 0.4 s of a one-edit rebuild at 10,000 entries.

`listings_key` covers all those pages read: the site-wide facts of `Projector.base`
(salt, options, places, images) and every entry's card digest, in site order. A build
whose memo holds that key takes the pages' specs as they were, after checking that the
output cache still has each page it does not carry whole. The memo is duck-typed
(`recall(key)`, `keep(key, value)`) so this module stays pure: the plugin passes a
build.CachedMemo, which keeps it in the output cache beside the pages it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from .core import Renderer
from .spec import SECTION, FileSpec, PageSpec


@dataclass(frozen=True)
class Listings:
    """The non-entry pages of one render run, in render order, and the files they made."""

    before: tuple[PageSpec, ...]  # render order: these come before the entry pages
    after: tuple[PageSpec, ...]
    files: tuple[FileSpec, ...]


def listings_key(r: Renderer) -> str:
    """The digest of everything a non-entry page reads (see the module docstring)."""
    return r.projector.digest(r.projector.base, "listings", list(r.site.entries.values()))


def recall_or_render_listings(r: Renderer, memo, render: Callable[[], Listings]) -> Listings:
    """The memo's listings for this site when the build can still place every one of
    their pages, else `render()`'s (then kept in the memo for the next build)."""
    if memo is None or r.projector is None:
        return render()
    key = listings_key(r)
    found = memo.recall(key)
    if isinstance(found, Listings) and all(_placeable(r, page) for page in (*found.before, *found.after)):
        return found
    made = render()
    made = Listings(tuple(map(_rendered_section, made.before)), tuple(map(_rendered_section, made.after)), made.files)
    memo.keep(key, Listings(tuple(map(_storable, made.before)), tuple(map(_storable, made.after)), made.files))
    return made


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
