"""Editors' text in the Atom feeds is text: markup, ampersands and quotes come back as typed."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.export.feeds import render_feed
from generator.validate import validate_content

REPO = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"


def test_hostile_titles_and_summaries_round_trip_through_the_feed():
    entries = validate_content(REPO).entries[:2]
    title = 'Tổ "hòa giải" <script>alert(1)</script> & \'bạn\''
    summary = "Hội <b>Phụ nữ</b> & Đoàn — ]]> <!-- x -->"
    hostile = [dataclasses.replace(entry, title=title, summary=summary) for entry in entries]
    xml = render_feed(hostile, 'https://example.gov.vn/a"b/', "feed.xml", 'Dân vận <khéo> & "giỏi"', 'Hà Nội & "các" quận')
    root = ET.fromstring(xml)
    assert root.find(f"{ATOM}title").text == 'Dân vận <khéo> & "giỏi"'
    assert root.find(f"{ATOM}author/{ATOM}name").text == 'Hà Nội & "các" quận'
    items = root.findall(f"{ATOM}entry")
    assert [item.find(f"{ATOM}title").text for item in items] == [title, title]
    assert [item.find(f"{ATOM}summary").text for item in items] == [summary, summary]
    assert root.find(f"{ATOM}link").get("href") == 'https://example.gov.vn/a"b/feed.xml'
    assert b"<script>" not in xml and b"<b>" not in xml
