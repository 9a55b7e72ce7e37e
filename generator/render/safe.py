"""Putting short editor text (a heading's words) into page Markdown as literal text.

Stories no longer go through the page Markdown (see body.py); what still does is the
plain text of headings, so that mkdocs lists them in the table of contents and gives
them ids (toc_slugify). That text is escaped here for Python-Markdown with the page's
extensions (attr_list included): `&` and `<` become entities, every other character
Markdown gives a meaning to is backslash-escaped, so `{: onclick=…}`, `[x](javascript:…)`
and `<img …>` stay visible words.
"""

from __future__ import annotations

import re

# Python-Markdown's ESCAPED_CHARS but "-", "." and "+", which mean something only at the
# start of a line (lists); the text always follows a heading's "#".
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]>()#!|])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax so a label is shown literally in a heading."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
