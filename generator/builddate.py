"""The one date a build stamps on its output: SOURCE_DATE_EPOCH, else the newest content date.

Why not "now": the same content must give the same bytes (deploys and caches move only
what changed), so a date that is shown (the book's colophon) or embedded (sitemap
lastmod, the gzip header of sitemap.xml.gz, the PDF's creation date, font timestamps)
must come from the content itself. SOURCE_DATE_EPOCH
(https://reproducible-builds.org/specs/source-date-epoch/) wins when a packager sets it;
otherwise the newest date written in any entry (event dates, source dates, the years of
models and awards) stands for "the content as of". Pure: no clock, no file times.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Iterator

ENV = "SOURCE_DATE_EPOCH"
FLOOR = dt.date(2000, 1, 1)  # no dated content at all: a fixed date, never the clock


def content_dates(entries: Iterable) -> Iterator[dt.date]:
    """Every date an entry states; a bare year counts as its 1 January."""
    for entry in entries:
        for name in ("date", "end_date"):
            value = getattr(entry, name, None)
            if isinstance(value, dt.date):
                yield value
        year = getattr(entry, "year", 0)
        if isinstance(year, int) and 1 <= year <= 9999:
            yield dt.date(year, 1, 1)
        for source in getattr(entry, "sources", None) or ():
            if isinstance(source.date, dt.date):
                yield source.date
        for award in getattr(entry, "awards", None) or ():
            if isinstance(award.year, int) and 1 <= award.year <= 9999:
                yield dt.date(award.year, 1, 1)


def env_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as an int, or None when unset or not a plain non-negative integer."""
    value = os.environ.get(ENV, "").strip()
    return int(value) if value.isdigit() else None


def build_datetime(entries: Iterable) -> dt.datetime:
    """The build's timestamp (UTC): SOURCE_DATE_EPOCH, else midnight of the newest content date."""
    epoch = env_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    newest = max(content_dates(entries), default=FLOOR)
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc)


def build_epoch(entries: Iterable) -> int:
    return int(build_datetime(entries).timestamp())


@contextlib.contextmanager
def source_date_epoch(epoch: int) -> Iterator[None]:
    """Export SOURCE_DATE_EPOCH (unless already set) while third-party code runs.

    Libraries that stamp "now" into their output read it: fontTools (head.modified of
    fonts it saves, e.g. WeasyPrint's subsets when HarfBuzz is missing), mkdocs
    (sitemap lastmod, sitemap.xml.gz header). Restored afterwards.
    """
    if env_epoch() is not None:
        yield
        return
    previous = os.environ.get(ENV)
    os.environ[ENV] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = previous
