"""Place pages: every district and ward that has entries, and the page listing them all.

Hanoi abolished districts on 1 July 2025 and formed new wards from old ones (often only
parts of them). A historic district page links forward to the new wards formed from it;
a new ward's page links back to the wards (and their districts) it was formed from.
"""

from __future__ import annotations

from ..derive import award_standing
from ..model import Entry, Event, Model, Place
from ..text import vn_sort_key
from ..vocab import FIELDS
from .core import Renderer
from .spec import SECTION, PageSpec
from .urls import PLACES, district_field_path, feed_path, place_path, stats_path

EVENTS_PREVIEW = 20


def render_places_index(r: Renderer) -> PageSpec:
    """Every unit of the registry: districts with their wards, then the units since 1/7/2025.

    About 650 units for Hanoi: each district is a <details> (open when it has entries) so
    the page stays short on a phone without JavaScript; units without a page are text.
    """
    site = r.site
    registry = site.places
    # by id: the site's order of places follows its entries' titles, which this page does not show
    counts = dict(sorted((p.id, count_models(entries)) for p, entries in _place_entries(r)))
    districts = sorted(registry.districts(), key=lambda p: vn_sort_key(p.name))
    old_wards = {d.id: sorted(registry.wards_of(d.id), key=lambda p: vn_sort_key(p.name)) for d in districts}
    active = {d.id for d in districts if d.id in site.by_district or any(w.id in site.by_ward for w in old_wards[d.id])}
    new_wards = sorted(registry.new_units(), key=lambda p: vn_sort_key(p.name))
    return r.make_page(
        f"{PLACES}/",
        "places.md.j2",
        "Địa bàn",
        f"{len(districts)} quận, huyện, thị xã, {sum(map(len, old_wards.values()))} phường, xã, thị trấn trước 1/7/2025 và {len(new_wards)} phường, xã từ 1/7/2025, với số mô hình, điển hình của từng nơi.",
        role=SECTION,
        districts=districts,
        old_wards=old_wards,
        active=active,
        new_wards=new_wards,
        new_total=sum(counts.get(w.id, 0) for w in new_wards),
        new_active=any(w.id in site.by_ward for w in new_wards),
        counts=counts,
    )


DISTRICT_PHOTOS_MAX = 12  # newest award photos on a district page; the awards gallery has the rest


def render_district_pages(r: Renderer, district: Place) -> list[PageSpec]:
    site = r.site
    entries = site.by_district[district.id]
    models = [e for e in entries if isinstance(e, Model)]
    events = [e for e in entries if isinstance(e, Event)]
    base = place_path(district)
    groups = group_by_field(models)
    pages: list[PageSpec] = []
    for term, items in groups:
        if len(items) > r.options.preview:
            pages += r.make_paginated(district_field_path(district, term), "listing.md.j2", f"{term.label} — {district.title}", items, f"Mô hình, điển hình lĩnh vực {term.label} của {district.label}.", crumbs=_crumbs(r, district, term.label), intro="")
    events_base = f"{base}su-kien/"
    if len(events) > EVENTS_PREVIEW:
        pages += r.make_paginated(events_base, "listing.md.j2", f"Sự kiện — {district.title}", events, f"Sự kiện “Dân vận khéo” ở {district.label}.", crumbs=_crumbs(r, district, "Sự kiện"), intro="")
    registry_wards = sorted(site.places.wards_of(district.id), key=lambda p: vn_sort_key(p.name))
    photos = [rec for rec in site.awards_by_district.get(district.id, []) if rec.award.image]
    successors = sorted(site.places.successors(district.id), key=lambda p: vn_sort_key(p.name))
    pages.insert(0, r.make_page(
        base,
        "district.md.j2",
        district.title,
        f"{count_models(entries)} mô hình, điển hình và {len(events)} sự kiện “Dân vận khéo” của {district.label}.",
        place=district,
        crumbs=[("Trang chủ", ""), ("Địa bàn", f"{PLACES}/"), (district.title, None)],
        field_rows=[(t.label, len(items), r.linker.rel(base, district_field_path(district, t)) if len(items) > r.options.preview else "") for t, items in groups],
        year_rows=count_by_year(models),
        groups=[(t, preview_items(items, r.options.preview, site.contest_wins), len(items), district_field_path(district, t) if len(items) > r.options.preview else "") for t, items in groups],
        top_awarded=preview_items([m for m in models if award_standing(m, site.contest_wins.get(m.id, ()))[0] == 0], r.options.preview, site.contest_wins),
        events=events[:EVENTS_PREVIEW],
        events_total=len(events),
        events_more=events_base if len(events) > EVENTS_PREVIEW else "",
        wards=registry_wards,
        ward_counts={w.id: count_models(site.by_ward.get(w.id, [])) for w in registry_wards},
        successors=successors,
        total=count_models(entries),
        photos=photos[:DISTRICT_PHOTOS_MAX],
        photos_total=len(photos),
        feed=(district.title, feed_path(district)),
        stats_page=stats_path(district=district),
    ))
    return pages


def render_ward_pages(r: Renderer, ward: Place) -> list[PageSpec]:
    site = r.site
    entries = site.by_ward[ward.id]
    models = [e for e in entries if isinstance(e, Model)]
    events = [e for e in entries if isinstance(e, Event)]
    base = place_path(ward)
    district = site.places.get(ward.district) if ward.district else None
    crumbs: list[tuple[str, str | None]] = [("Trang chủ", ""), ("Địa bàn", f"{PLACES}/")]
    if district and district.id in site.by_district:
        crumbs.append((district.title, place_path(district)))
    crumbs.append((ward.title, None))
    predecessors = [site.places.get(pid) for pid in ward.formed_from if site.places.get(pid)]
    origin = [(p, site.places.get(p.district) if p.district else None) for p in predecessors]
    successors = sorted((p for p in site.places.places.values() if ward.id in p.formed_from), key=lambda p: vn_sort_key(p.name))
    by_field = sorted(models, key=lambda m: m.field.rank)  # stable: newest first within a field
    return r.make_paginated(
        base,
        "ward.md.j2",
        ward.title,
        by_field,
        f"{len(models)} mô hình, điển hình và {len(events)} sự kiện “Dân vận khéo” của {ward.label}.",
        place=ward,
        district=district,
        crumbs=crumbs,
        field_rows=[(t.label, len(items), "") for t, items in group_by_field(models)],
        year_rows=count_by_year(models),
        events=events,
        origin=origin,
        successors=successors,
    )


def preview_items(items: list[Model], count: int, wins: dict) -> list[Model]:
    """The first `count` items, plus every first-prize winner further down the list.

    Listings are awarded-first, but by level before rank, so a Giải Nhất at district
    level can sit behind city-level certificates; a preview never hides it behind
    "Xem tất cả".
    """
    shown = items[:count]
    return shown + [m for m in items[count:] if is_first_prize(m, wins.get(m.id, ()))]


def is_first_prize(entry: Model, wins=()) -> bool:
    """Giải Nhất in an award line or in a contest's results."""
    ranks = [a.rank.id for a in getattr(entry, "awards", ()) if a.rank] + [w.rank.id for w in wins]
    return "nhat" in ranks


def group_by_field(models: list[Model]) -> list[tuple]:
    """(field term, models) in vocabulary order, empty fields left out."""
    groups = []
    for term in FIELDS:
        items = [m for m in models if m.field == term]
        if items:
            groups.append((term, items))
    return groups


def count_by_year(models: list[Model]) -> list[tuple[str, int, str]]:
    counts: dict[int, int] = {}
    for model in models:
        counts[model.year] = counts.get(model.year, 0) + 1
    return [(str(y), counts[y], "") for y in sorted(counts, reverse=True)]


def count_models(entries: list[Entry]) -> int:
    return sum(1 for e in entries if isinstance(e, Model))


def _place_entries(r: Renderer):
    for place_id, entries in list(r.site.by_district.items()) + list(r.site.by_ward.items()):
        yield r.site.places.get(place_id), entries


def _crumbs(r: Renderer, district: Place, label: str) -> list[tuple[str, str]]:
    """Breadcrumbs for a sub-listing of a district (site paths; the template links them)."""
    return [("Trang chủ", ""), ("Địa bàn", f"{PLACES}/"), (district.title, place_path(district)), (label, None)]
