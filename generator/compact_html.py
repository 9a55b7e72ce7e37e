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
_OPENER = re.compile(r"<(?:pre|textarea|script)\b", re.I)
_WHITE = " \t\r\n"


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


def compacts_apart(text: str) -> bool:
    """Whether `text` holds kept elements only whole: then compact_html finds the same kept
    elements in it alone as in a page made by joining it with other such parts."""
    return not _OPENER.search(_KEPT.sub("", text))


def join_compacted(parts: list[tuple[str, str]]) -> str | None:
    """compact_html of the joined raw texts, from (raw, compact_html(raw)) parts that each
    compact apart (or None). Where one part ends and the next starts with white space, the
    two runs are one in the joined text: that joint is compacted again as one run. A page
    filled from a theme shell (mkdocs_shell.py) compacts only its own values this way: the
    shell's literal pieces, most of every page, are compacted once per shape."""
    out: list[str] = []
    previous = ""
    for raw, done in parts:
        if not raw:
            continue
        if previous and previous[-1] in _WHITE and raw[0] in _WHITE:
            left, right = _trailing_white(previous), raw[: len(raw) - len(raw.lstrip(_WHITE))]
            if len(left) == len(previous) or len(right) == len(raw):
                return None  # a part of white space only: not worth the cases
            left_done, right_done = _SPACE.sub("\n", left), _SPACE.sub("\n", right)
            if not out[-1].endswith(left_done) or not done.startswith(right_done):
                return None
            out[-1] = out[-1][: len(out[-1]) - len(left_done)] + _SPACE.sub("\n", left + right)
            done = done[len(right_done) :]
        out.append(done)
        previous = raw
    return "".join(out)


def _trailing_white(text: str) -> str:
    return text[len(text.rstrip(_WHITE)) :]
