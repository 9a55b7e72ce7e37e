"""Finished pages without their template indentation.

The theme's templates indent the HTML they write; on an entry page that was 3.3 KB of
spaces at line starts and 70 empty lines, a sixth of the page, downloaded and stored
(and precompressed) for every one of 10,000 entries. A browser shows the page the same
without them: outside preformatted text, a line break followed by spaces is one space,
as a line break alone is. So every run of line breaks and the spaces after them becomes
one line break, except inside <pre>, <textarea> and <script>, which are kept byte for
byte (code in a story, a form's text, scripts).

The mkdocs plugin applies it to every page it writes, whether mkdocs rendered the page or
it was filled from a shell (generator/mkdocs_shell.py), so both ways give the same bytes.
"""

from __future__ import annotations

import re

_KEPT = re.compile(r"<(pre|textarea|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_SPACE = re.compile(r"\r?\n[ \t\r\n]*")


def compact_html(html: str) -> str:
    """html with each line break + indentation (and empty lines) as one line break.

    The kept elements are found first and the text between them compacted with a plain
    replacement: one substitution call per page instead of a Python callback for each of
    its hundreds of line breaks (9 s of a cold 10,000-entry build)."""
    out, start = [], 0
    for kept in _KEPT.finditer(html):
        out.append(_SPACE.sub("\n", html[start : kept.start()]))
        out.append(kept.group(0))
        start = kept.end()
    out.append(_SPACE.sub("\n", html[start:]))
    return "".join(out)
