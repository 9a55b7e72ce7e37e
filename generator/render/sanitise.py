"""The one allow-list for HTML made from an editor's story (site and book).

An entry body is data typed by many hands (Word, phones, copy-paste), so the HTML made
from it is cleaned by nh3 (the maintained Rust sanitiser, ammonia) against the lists
below, not by regular expressions: anything not listed here is dropped, whatever the
Markdown parser let through. Tags are what Markdown itself produces for a story (no
images: the site and the book show only the declared, resized `images`), links keep
only http, https, mailto and relative targets, and no attribute can carry script.
"""

from __future__ import annotations

import re

import nh3

STORY_TAGS = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "span",
    }
)  # fmt: skip
STORY_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
STYLE_PROPERTIES = frozenset({"text-align"})  # table column alignment, nothing else
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # plus relative links on the site
SCRIPT_CONTENT_TAGS = frozenset({"script", "style"})  # dropped with their text, never shown
LINK_REL = "noopener nofollow"
PRINT_HEADING_CLASS = "story-heading"


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_allowed_url(url: str) -> bool:
    """True for http, https, mailto and relative URLs (what a browser would see, spaces and tabs removed)."""
    match = _SCHEME.match(_INVISIBLE.sub("", url))
    return match is None or match.group(1).lower() in URL_SCHEMES


def sanitise_story_html(html: str, *, relative_links: bool = True, heading_class: str | None = None) -> str:
    """Clean HTML made from a story so only the allow-listed markup above survives.

    `relative_links=False` (the printed book) drops links that have no meaning on paper;
    `heading_class` marks story headings (the book keeps them out of the PDF outline).
    """
    set_values = {f"h{n}": {"class": heading_class} for n in range(3, 7)} if heading_class else None
    return nh3.clean(
        html,
        tags=set(STORY_TAGS),
        clean_content_tags=set(SCRIPT_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in STORY_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative=None if relative_links else "deny",
        filter_style_properties=set(STYLE_PROPERTIES),
        set_tag_attribute_values=set_values,
        link_rel=LINK_REL,
        strip_comments=True,
    )
