"""The build date: SOURCE_DATE_EPOCH, else the newest date the content states, never the clock."""

from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace as NS

from generator.builddate import FLOOR, build_datetime, build_epoch, source_date_epoch


def _model(year, awards=(), sources=()):
    return NS(year=year, awards=[NS(year=y) for y in awards], sources=[NS(date=d) for d in sources])


def _event(date, end=None):
    return NS(date=date, end_date=end, year=date.year, sources=[], awards=[])


def test_newest_content_date_wins(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    entries = [_model(2022), _event(dt.date(2024, 7, 31), dt.date(2024, 8, 2)), _model(2023, sources=[dt.date(2024, 9, 5)])]
    assert build_datetime(entries) == dt.datetime(2024, 9, 5, tzinfo=dt.timezone.utc)
    assert build_datetime([_model(2025, awards=[2026])]).date() == dt.date(2026, 1, 1)


def test_order_of_entries_does_not_matter(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    entries = [_model(2021), _event(dt.date(2023, 3, 8)), _model(2019)]
    assert build_epoch(entries) == build_epoch(list(reversed(entries)))


def test_no_dated_content_gives_a_fixed_date_not_today(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_datetime([]).date() == FLOOR
    assert build_datetime([NS(year=0)]).date() == FLOOR


def test_source_date_epoch_wins_and_bad_values_are_ignored(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_datetime([_model(2030)]) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "hôm nay")
    assert build_datetime([_model(2030)]).date() == dt.date(2030, 1, 1)


def test_exported_epoch_is_restored(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with source_date_epoch(1234):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1234"
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99")
    with source_date_epoch(1234):  # a packager's value is never overridden
        assert os.environ["SOURCE_DATE_EPOCH"] == "99"
    assert os.environ["SOURCE_DATE_EPOCH"] == "99"
