"""Cite this entry for reference managers: CSL-JSON (Zotero, Mendeley, pandoc).

The access date is the reader's, not the build's (the same content must give the same
bytes), so CSL-JSON leaves `accessed` out.
"""

from __future__ import annotations

import json

from ..derive import Site
from ..model import Entry, Event
from ..render.cite import cite_parts
from ..render.urls import entry_path


def csl_json(entry: Entry, site: Site, site_name: str, base_url: str = "") -> bytes:
    """CSL-JSON (an array with one item) as Zotero, Mendeley and pandoc read it."""
    parts = cite_parts(entry, site, site_name)
    item = {
        "id": entry.id,
        "type": "webpage",
        "title": entry.title,
        "author": [{"literal": parts["author"]}] if parts["author"] else [],
        "container-title": site_name,
        "issued": {"date-parts": [[entry.date.year, entry.date.month, entry.date.day]]} if isinstance(entry, Event) and entry.date else {"date-parts": [[entry.year]]},
        "language": "vi",
        "abstract": entry.summary,
    }
    if parts["place"]:
        item["publisher-place"] = parts["place"]
    if base_url:
        item["URL"] = base_url + entry_path(entry)
    return (json.dumps([item], ensure_ascii=False, indent=1) + "\n").encode("utf-8")

