"""The Vietnamese citation line of an entry ("Cite this entry" on its page).

The access date is the reader's, not the build's (the same content must give the same
bytes), so the page fills it in the browser (theme/assets/dvk/cite.js).
"""

from __future__ import annotations

from ..derive import Site
from ..model import Entry, Event


def cite_parts(entry: Entry, site: Site, site_name: str) -> dict:
    """The pieces of the Vietnamese citation, in order: author, year, title, place, site."""
    author = entry.organizer if isinstance(entry, Event) else getattr(entry, "unit", "")
    district = site.places.get(entry.district_id) if entry.district_id else None
    places = [p.label for p in (entry.ward, district) if p]
    return {"author": author, "year": str(entry.year or ""), "title": entry.title, "place": ", ".join(places), "site": site_name}


def cite_text(parts: dict, url: str = "") -> str:
    """"UBND phường Nhật Tân (2024). Ngày không giấy hẹn. phường Nhật Tân, quận Tây Hồ. Dân vận khéo — Hà Nội. URL" """
    text = f"{parts['author']} ({parts['year']}). {parts['title']}."
    if parts["place"]:
        text += f" {parts['place'][:1].upper()}{parts['place'][1:]}."
    text += f" {parts['site']}."
    if url:
        text += f" {url}"
    return text
