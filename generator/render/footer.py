"""The footer's facts: who publishes the site, how to reach them, the licence, the date.

The date must not come from the wall clock: two builds of the same content give the same
bytes. It is SOURCE_DATE_EPOCH when the builder sets it (reproducible-builds.org), else
the newest date the content itself carries (event days, article dates).
"""

from __future__ import annotations

import datetime as dt

from ..derive import Site
from ..model import Event

# the licence text itself has one home, the plugin option `licence` (also on the data page)
FOOTER_KEYS = ("publisher", "contact", "contact_url", "licence_url", "note")


def newest_content_date(site: Site) -> dt.date | None:
    """The latest event day or article date among the entries (None when none has one)."""
    dates: list[dt.date] = []
    for entry in site.entries.values():
        if isinstance(entry, Event):
            dates += [d for d in (entry.date, entry.end_date) if d]
        dates += [s.date for s in entry.sources if s.date]
    return max(dates, default=None)


def footer_date(site: Site, source_date_epoch: str | None) -> dt.date | None:
    """The "cập nhật" date: SOURCE_DATE_EPOCH (UTC day) if it is a number, else the content's."""
    if source_date_epoch and source_date_epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(source_date_epoch.strip()), tz=dt.timezone.utc).date()
    return newest_content_date(site)


def unknown_footer_keys(footer: dict) -> list[str]:
    """Keys of mkdocs.yml's `extra: dvk_footer:` that the footer does not print (typos)."""
    return [str(key) for key in footer if key not in FOOTER_KEYS]
