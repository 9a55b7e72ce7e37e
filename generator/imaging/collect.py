"""Which images a build must prepare: every entry's `images` and every award `image`.

One function so the site and the book ask the pipeline for the same set (and the cache
is shared); duplicates are left to ImagePipeline.prepare, which de-duplicates by path.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Entry, Image


def referenced_images(entries: Iterable[Entry]) -> list[Image]:
    """Images in entry order: the entry's own, then its awards' certificate photos."""
    found: list[Image] = []
    for entry in entries:
        found.extend(image for image in entry.images if image.abs_path)
        for award in getattr(entry, "awards", ()):
            if award.image and award.image.abs_path:
                found.append(award.image)
    return found
