"""Entry pages: one per model, exemplar and event.

The site search does not read these pages: its records are made from the entries
(generator/search/records.py), so a page carries only what a reader sees.
"""

from __future__ import annotations

import dataclasses
from functools import partial

from ..derive import Site
from ..facts import list_entry_places, list_facts
from ..model import Entry, Event, Problem
from .cite import cite_parts, cite_text
from .core import Renderer
from .media import og_image_path
from .body import StorySource, StoryTooSlow
from .spec import ENTRY, PageSpec
from .urls import csl_path, entry_path, place_path

RELATED_MAX = 12  # cards of related entries; an event can be related to hundreds
AWARDS_AT_EVENT_MAX = 60
EVENT_PHOTOS_MAX = 24  # award photos in an event's gallery; the awards gallery has them all


def generate_entry_pages(r: Renderer) -> list[PageSpec]:
    """Every entry's page; stories over their time budget are reported together, by file."""
    pages, problems = [], []
    for entry in r.site.entries.values():
        try:
            pages.append(render_entry_page(r, entry))
        except StoryTooSlow as slow:
            problems.append(story_too_slow_problem(entry, slow))
    if problems:
        raise RenderProblems(problems)
    return pages


class RenderProblems(Exception):
    """Entries the render stage could not turn into pages (each a Vietnamese Problem)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} entries could not be rendered")
        self.problems = problems


def story_too_slow_problem(entry: Entry, slow: StoryTooSlow) -> Problem:
    """The error line for a story that ran out of its time budget."""
    return Problem(
        entry.path,
        entry.body_line,
        "nội dung",
        f"phần câu chuyện dựng quá {slow.seconds:g} giây (thường do hàng nghìn ký tự [ < * ` dán liền nhau)",
        "xóa các chuỗi ký tự lạ hoặc chia bài thành đoạn ngắn, rồi dựng lại",
    )


def render_entry_page(r: Renderer, entry: Entry) -> PageSpec:
    spec = make_entry_page(r, entry)
    if spec.deferred is None:
        return spec
    # rendered later (where it is written): a story over its budget is then this entry's problem
    return dataclasses.replace(spec, deferred=partial(_finish_entry_page, spec.deferred, entry))


def _finish_entry_page(render, entry: Entry) -> PageSpec:
    try:
        return render()
    except StoryTooSlow as slow:
        raise RenderProblems([story_too_slow_problem(entry, slow)]) from None


def make_entry_page(r: Renderer, entry: Entry) -> PageSpec:
    """An entry's page. Its projection is the entry (story included) and what other
    entries lend it (related cards, awards given and won, entries it names), so a
    rebuild that has the page does not gather its arguments again."""
    site = r.site
    path = entry_path(entry)
    related = site.related.get(entry.id, [])
    all_given = site.award_events.get(entry.id, [])
    given = all_given if isinstance(entry, Event) else []
    wins = site.contest_wins.get(entry.id, [])
    depends = referenced_entries(entry, site)
    first_image = entry.images[0] if entry.images else None

    def arguments() -> dict:
        photos = [rec for rec in given if rec.award.image]
        return dict(
            e=entry,
            crumbs=build_crumbs(r, entry),
            places=list_entry_places(entry, site.places),
            facts=list_facts(entry, site.places),
            wins=wins,
            given_awards=given[:AWARDS_AT_EVENT_MAX],
            given_total=len(all_given),
            figures=[(f.label, f.value) for f in entry.figures] if isinstance(entry, Event) else [],
            story=StorySource(entry.body, top_level=3, seconds=r.options.story_seconds) if entry.body.strip() else (),
            event_photos=photos[:EVENT_PHOTOS_MAX],
            event_photos_total=len(photos),
            related=related[:RELATED_MAX],
            related_total=len(related),
            cite=cite_text(cite_parts(entry, site, r.options.site_name)),
            cite_url=r.options.base_url + path if r.options.base_url else "",
            csl=csl_path(entry),
            depends=depends,
        )

    return r.make_keyed_page(
        path,
        "entry.md.j2",
        entry.title,
        entry.summary,
        entry=entry,
        inputs=(related[:RELATED_MAX], len(related), given, len(all_given), wins, depends),
        arguments=arguments,
        role=ENTRY,
        source=entry.path,
        image=og_image_path(first_image, r.images),
        searchable=True,
    )


def referenced_entries(entry: Entry, site: Site) -> tuple:
    """Entries the entry template looks up by id (award events, contest recipients)."""
    ids = [award.event for award in getattr(entry, "awards", ()) if award.event]
    ids += [result.recipient_id for result in getattr(entry, "results", ()) if getattr(result, "recipient_id", None)]
    return tuple((i, site.get(i)) for i in ids)


def build_crumbs(r: Renderer, entry: Entry) -> list[tuple[str, str | None]]:
    """Trang chủ › district › ward › entry; places without a page are plain text."""
    crumbs: list[tuple[str, str | None]] = [("Trang chủ", "")]
    for place in reversed(list_entry_places(entry, r.site.places)):
        index = r.site.by_district if place.is_district else r.site.by_ward
        crumbs.append((place.title, place_path(place) if place.id in index else None))
    crumbs.append((entry.title, None))
    return crumbs
