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
_BAD_SCHEME = re.compile(r"(\]\(\s*<?|\]:\s*<?|\]\s*\(\s*)(?:javascript|vbscript|data|file):", re.IGNORECASE)
_ATX = re.compile(r"^(\s{0,3})(#{1,6})(\s)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def sanitize_markdown(body: str, demote: bool = False) -> str:
    """Return the story with raw HTML shown as text and unsafe link schemes removed.

    Headings are pushed one level down when asked (the page puts the story under its own
    h2) or when the story uses a level-1 heading: the page title is the only h1.
    """
    lines = body.split("\n")
    demote = demote or _has_h1(lines)
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
        line = _BAD_SCHEME.sub(lambda m: m.group(1) + "#", line)
        if demote:
            line = _ATX.sub(lambda m: f"{m.group(1)}{m.group(2)}#{m.group(3)}" if len(m.group(2)) < 6 else m.group(0), line)
        out.append(line)
    return "\n".join(out)


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax so a label is shown literally in a heading."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def _has_h1(lines: list[str]) -> bool:
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and re.match(r"^\s{0,3}#\s", line):
            return True
    return False


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
