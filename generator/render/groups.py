"""The non-entry pages as listings.py's groups, in render order, each with its members.

A group's members are every entry whose card (or the facts of it no other entry shows)
its pages may read: a district's pages show its entries' cards and count its wards'; a
field's listing shows that field's entries. Counts, groupings and contest standings of
other entries reach a page through the structure key (listings.py), so a group lists
only the entries whose *cards* it may show. A group whose pages show no card and no
order of entries, only what the structure key covers (the places index), has none; one
that shows the newest entries of the whole site (the home page) has no member list at
all: it is rendered every time.
"""

from __future__ import annotations

from functools import partial

from ..stats import split_by_scope
from ..vocab import FIELDS, LEVELS
from .core import Renderer
from .home import render_home_page, render_search_page
from .listings import ListingGroup
from .opendata import render_data_page
from .places import render_district_pages, render_places_index, render_ward_pages
from .statistics import render_stats_scope, stats_scopes
from .urls import FIELDS as FIELDS_ROOT, LEVELS as LEVELS_ROOT
from .views import render_award_pages, render_awards_year, render_event_pages, render_exemplar_pages, render_term_listing, render_term_overview, render_year_listing, render_years_overview

TERM_VIEWS = (
    ("field", FIELDS, FIELDS_ROOT, "Theo lĩnh vực", "by_field", "Mô hình, điển hình “Dân vận khéo” theo bốn lĩnh vực."),
    ("level", LEVELS, LEVELS_ROOT, "Theo cấp", "by_level", "Mô hình, điển hình theo cấp công nhận: cơ sở, quận/huyện/thị xã, Thành phố."),
)


def listing_groups(r: Renderer) -> list[ListingGroup]:
    """Every page but the entries' own (home, places, views, search, statistics, data)."""
    site = r.site
    groups = [_page("home", None, render_home_page, r), _page("places", [], render_places_index, r)]
    groups += [ListingGroup(f"district:{d.id}", site.by_district[d.id], _no_files(render_district_pages, r, d)) for d in site.districts()]
    groups += [ListingGroup(f"ward:{w.id}", site.by_ward[w.id], _no_files(render_ward_pages, r, w)) for w in site.wards()]
    for name, vocab, root, title, attribute, intro in TERM_VIEWS:
        index = getattr(site, attribute)
        # the overview counts every model of each term and shows the first of each
        every = [entry for term in vocab for entry in index[term]]
        groups.append(_page(f"{name}s", every, render_term_overview, r, vocab, root, title, index, intro))
        groups += [ListingGroup(f"{name}:{term.id}", index[term], _no_files(render_term_listing, r, vocab, root, title, index, term)) for term in vocab]
    groups.append(_page("years", site.models, render_years_overview, r))  # counts every model's year
    groups += [ListingGroup(f"year:{year}", items, _no_files(render_year_listing, r, year, items)) for year, items in site.by_year.items()]
    groups.append(ListingGroup("exemplars", site.by_kind["exemplar"], _no_files(render_exemplar_pages, r)))
    groups.append(ListingGroup("events", site.events, _no_files(render_event_pages, r)))
    groups.append(ListingGroup("awards", [record.entry for record in site.awards], _no_files(render_award_pages, r)))
    for year, records in sorted(site.awards_by_year.items(), reverse=True):
        groups.append(ListingGroup(f"awards:{year}", [record.entry for record in records], _no_files(render_awards_year, r, year, records)))
    groups.append(_page("search", None, render_search_page, r))
    # a scope's tables count its entries; a tie keeps the site's order, which titles decide
    split = split_by_scope(site)
    for scope, path in stats_scopes(r):
        models, events = split.get(scope, ([], []))
        groups.append(ListingGroup(f"stats:{path}", [*models, *events], partial(render_stats_scope, r, scope, path, (models, events)), after=True))
    groups.append(_page("data", None, render_data_page, r, after=True))
    return groups


def _page(name: str, members, render, *args, after: bool = False) -> ListingGroup:
    """A group of one page."""
    return ListingGroup(name, members, lambda: ([render(*args)], []), after=after)


def _no_files(render, *args):
    return lambda: (render(*args), [])
