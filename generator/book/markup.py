"""Entry stories and the foreword (Markdown) to print-safe HTML.

The book uses the site's one story path (generator/render/body.py: markdown-it-py without
raw HTML, then nh3 against generator/render/sanitise.py), with print settings: headings
start at h4 and carry the `story-heading` class (kept out of the PDF outline), links
keep only http(s)/mailto targets (a relative link means nothing on paper), images in a
story become their alt text (the book prints only the declared, resized `images`).
"""

from __future__ import annotations

from ..render.body import STORY_SECONDS, StoryTooSlow, render_story_html

__all__ = ["render_markdown", "StoryTooSlow"]


def render_markdown(text: str, seconds: float = STORY_SECONDS) -> str:
    """Markdown body -> sanitised HTML fragment (NFC); raises StoryTooSlow past the budget."""
    return render_story_html(text, top_level=4, seconds=seconds, for_print=True)
