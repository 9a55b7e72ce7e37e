"""Atom feeds of the newest entries and events: one for the showcase, one per district.

Atom needs absolute URLs, so feeds exist only when mkdocs.yml sets `site_url`; the build
says so once and writes none rather than wrong links. Dates are the content's own (an
event's date, a model's registration year), never the build time, so the same content
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from html import escape as _escape  # (xml.sax.saxutils imports urllib.request: 48 ms of the data run)

from ..derive import Site, entry_sort_key
from ..model import Entry, Event
from ..render.spec import FileSpec
from ..render.urls import FEED_NAME, entry_path, feed_path

FEED_SIZE = 30


def escape(text: str) -> str:
    """XML text: & < > escaped."""
    return _escape(text, quote=False)


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes, every quote escaped."""
    return f'"{_escape(text)}"'


def collect_feeds(site: Site, site_url: str, site_name: str) -> list[FileSpec]:
    """The site feed and one feed per district that has entries (empty without site_url)."""
    if not site_url:
        return []
    base = site_url if site_url.endswith("/") else site_url + "/"
    everything = sorted([*site.models, *site.events], key=_newest_first)
    feeds = [FileSpec(feed_path(), render_feed(everything[:FEED_SIZE], base, feed_path(), site_name, site_name))]
    for district in site.districts():
        entries = sorted(site.by_district[district.id], key=_newest_first)[:FEED_SIZE]
        feeds.append(FileSpec(feed_path(district), render_feed(entries, base, feed_path(district), f"{site_name} — {district.title}", site_name)))
    return feeds


def render_feed(entries: list[Entry], base: str, path: str, title: str, site_name: str) -> bytes:
    """One Atom document. Every text goes through XML escaping: titles are editors' text."""
    updated = max((_updated(e) for e in entries), default=dt.date(2000, 1, 1))
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(base + path)}</id>",
        f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + path)}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + path.removesuffix(FEED_NAME))}/>",
        f"<updated>{_stamp(updated)}</updated>",
        f"<author><name>{escape(site_name)}</name></author>",
    ]
    for entry in entries:
        url = base + entry_path(entry)
        parts += [
            "<entry>",
            f"<title>{escape(entry.title)}</title>",
            f"<id>{escape(url)}</id>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            f"<updated>{_stamp(_updated(entry))}</updated>",
            f"<summary>{escape(entry.summary)}</summary>",
            f"<category term={quoteattr(entry.kind.id)} label={quoteattr(_kind_label(entry))}/>",
            "</entry>",
        ]
    parts.append("</feed>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def _kind_label(entry: Entry) -> str:
    return entry.type.label if isinstance(entry, Event) and entry.type else entry.kind.label


def _updated(entry: Entry) -> dt.date:
    """An event's date; a model's registration year (1 January): the content's own dates."""
    if isinstance(entry, Event) and entry.date:
        return entry.date
    return dt.date(max(entry.year, 1), 1, 1)


def _newest_first(entry: Entry):
    return (-_updated(entry).toordinal(), entry_sort_key(entry))


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
