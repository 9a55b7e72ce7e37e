"""Making editor text safe to publish.

Front-matter strings are plain text: templates autoescape them. The Markdown story of an
entry goes into the page as Markdown (so its headings join the table of contents), and
Markdown passes raw HTML through untouched. A pasted `<script>` or `<iframe>` from a
news site must not reach citizens, so raw HTML is escaped to visible text, and link
targets that run code (`javascript:`) are disarmed. Code spans and fences are left as
they are: Markdown already escapes their content.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+|mailto:[^\s<>]+)>")
_SCHEMES = r"(?:javascript|vbscript|data|file):"
_BAD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?" + _SCHEMES + r"(?:[^()]|\([^()]*\))*\)", re.IGNORECASE)
_BAD_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?" + _SCHEMES + r".*$", re.IGNORECASE)
_ATX = re.compile(r"^(\s{0,3})(#{1,6})(\s)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def sanitize_markdown(body: str, top_level: int = 2) -> str:
    """Return the story with raw HTML shown as text and unsafe links reduced to their text.

    Headings are shifted so the story's highest heading becomes `top_level` (the page
    title is the only h1; the page may put the story under its own h2).
    """
    lines = body.split("\n")
    shift = max(0, top_level - _top_heading(lines))
    out: list[str] = []
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        line = _escape_html_outside_code(line)
        line = _BAD_LINK.sub(lambda m: m.group(2), line)
        line = _BAD_REF.sub("", line)
        if shift:
            line = _ATX.sub(lambda m: f"{m.group(1)}{'#' * min(6, len(m.group(2)) + shift)}{m.group(3)}", line)
        out.append(line)
    return "\n".join(out)


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax so a label is shown literally in a heading."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def _top_heading(lines: list[str]) -> int:
    """Level of the story's highest ATX heading (7 when it has none)."""
    top = 7
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _ATX.match(line)):
            top = min(top, len(match.group(2)))
    return top


def _escape_html_outside_code(line: str) -> str:
    parts: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(_escape_html(line[pos : match.start()]))
        parts.append(match.group(0))
        pos = match.end()
    parts.append(_escape_html(line[pos:]))
    return "".join(parts)


def _escape_html(text: str) -> str:
    """Escape `<` except in autolinks (<https://…>), which Markdown turns into links."""
    links: list[str] = []

    def _keep(match: re.Match[str]) -> str:
        links.append(match.group(0))
        return f"\x00{len(links) - 1}\x00"

    text = _AUTOLINK.sub(_keep, text)
    text = text.replace("<", "&lt;")
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], text)
