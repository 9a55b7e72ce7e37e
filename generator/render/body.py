"""An entry's story (its Markdown body) -> sanitised HTML, the same way for site and book.

The story is data: it used to go into the page Markdown that mkdocs converts (with
attr_list and raw HTML), where nested brackets, split link text, entities and `{: on…}`
attributes ran script. Now the render stage converts it itself with markdown-it-py
(CommonMark, raw HTML switched off, a nesting limit; linear on ordinary text, faster-growing
on long runs of some markup, which MARKUP_LIMITS refuses) and cleans the result with nh3 against the one allow-list in sanitise.py; the
page receives finished HTML it never parses again.

Images written in a story are shown as their alt text: the pages and the book show only
the declared `images`, which go through the image pipeline (resized, EXIF removed, no
third-party host).

A pasted file can still be slow to parse, so every conversion has a time budget that
the parser itself checks (a rule that runs before the others at every position and line);
running out raises `StoryTooSlow`, which the caller turns into an error naming the file.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..text import nfc
from .sanitise import PRINT_HEADING_CLASS, is_allowed_url, sanitise_story_html

STORY_SECONDS = 5.0  # per entry; real stories take milliseconds, see bench/hostile_render.py
MAX_NESTING = 20  # quotes in quotes, lists in lists, emphasis in emphasis
_CHECK_EVERY = 256  # parser steps between two looks at the clock


# Markup characters a real story uses by the dozen; thousands of them are pasted data.
# markdown-it-py is linear on most input but grows faster than the size on long runs of
# unclosed links `[a](`, images `![`, emphasis `*a`, entities `&#` and big tables
# (bench/hostile_render.py --scale 4); these limits keep every story far below the budget.
MARKUP_LIMITS = {"[": 2000, "&": 2000, "*": 5000, "_": 5000, "`": 5000, ">": 5000, "|": 5000}


def find_markup_flood(body: str) -> tuple[str, int, int] | None:
    """(character, limit, 0-based line where the count passes the limit) or None.

    The validator reports it before any page is built; linear in the body's size.
    """
    counts = dict.fromkeys(MARKUP_LIMITS, 0)
    for number, line in enumerate(body.split("\n")):
        for char, limit in MARKUP_LIMITS.items():
            counts[char] += line.count(char)
            if counts[char] > limit:
                return char, limit, number
    return None


class StoryTooSlow(Exception):
    """Converting one story took longer than its budget."""

    def __init__(self, seconds: float):
        super().__init__(f"story took over {seconds:g} s")
        self.seconds = seconds


@dataclass(frozen=True)
class StoryPart:
    """A top-level heading (level 3-6, plain text) or a run of sanitised HTML (level 0)."""

    level: int
    text: str


class _Deadline:
    """Raises StoryTooSlow from inside the parser once the budget is spent."""

    def __init__(self, seconds: float):
        self.arm(seconds)

    def arm(self, seconds: float) -> None:
        """Start a new budget (the shared parser re-arms it for each story)."""
        self.seconds = seconds
        self.until = time.monotonic() + seconds
        self.steps = 0

    def check(self) -> None:
        self.steps += 1
        if self.steps % _CHECK_EVERY == 0 or self.seconds <= 0:
            if time.monotonic() > self.until:
                raise StoryTooSlow(self.seconds)


def make_parser(deadline: _Deadline | None = None) -> MarkdownIt:
    """CommonMark + tables, no raw HTML, bounded nesting, images as text, optional deadline."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    md.validateLink = lambda url: True  # every link is parsed, so a refused one keeps only its text:
    md.core.ruler.push("dvk_unsafe_links_as_text", _unwrap_unsafe_links)  # see _unwrap_unsafe_links
    md.core.ruler.push("dvk_images_as_text", _replace_images)
    if deadline is not None:
        md.inline.ruler.before("text", "dvk_deadline", lambda state, silent: deadline.check() or False)
        md.block.ruler.before("table", "dvk_deadline", lambda state, start, end, silent: deadline.check() or False)
    return md


@dataclass(frozen=True)
class StorySource:
    """An entry's story before conversion: all a projection key needs (see projection.py).

    The page converts it only when it is really rendered, so a rebuild that reuses 9,999
    of 10,000 entry pages parses one story, not all of them.
    """

    body: str
    top_level: int = 3
    seconds: float = STORY_SECONDS

    def parts(self) -> list[StoryPart]:
        return render_story_parts(self.body, self.top_level, self.seconds)


def render_story_parts(body: str, top_level: int = 3, seconds: float = STORY_SECONDS) -> list[StoryPart]:
    """The story split at its top-level headings, for a page that lists them in its TOC.

    Headings are shifted so the highest becomes `top_level` (the page has its own h1
    and h2); each stretch between them is sanitised HTML.
    """
    md, tokens = _parse(body, top_level, seconds)
    parts: list[StoryPart] = []
    run: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            _flush(md, run, parts)
            run = []
            parts.append(StoryPart(int(token.tag[1]), _plain_text(md, tokens[index + 1])))
            index += 3  # heading_open, inline, heading_close
            continue
        run.append(token)
        index += 1
    _flush(md, run, parts)
    return parts


def render_story_html(body: str, top_level: int = 4, seconds: float = STORY_SECONDS, *, for_print: bool = False) -> str:
    """The whole story as one sanitised HTML fragment (the printed book)."""
    md, tokens = _parse(body, top_level, seconds)
    html = md.renderer.render(tokens, md.options, {})
    return sanitise_story_html(html, relative_links=not for_print, heading_class=PRINT_HEADING_CLASS if for_print else None)


_SHARED = threading.local()  # one parser per thread: building one costs more than parsing a
# typical story (0.36 ms of 0.8 ms at 10,000 entries); per thread, as its deadline is re-armed


def _parse(body: str, top_level: int, seconds: float) -> tuple[MarkdownIt, list[Token]]:
    if getattr(_SHARED, "parser", None) is None:
        deadline = _Deadline(seconds)
        _SHARED.parser = (make_parser(deadline), deadline)
    md, deadline = _SHARED.parser
    deadline.arm(seconds)
    tokens = md.parse(nfc(body))
    _shift_headings(tokens, top_level)
    return md, tokens


def _shift_headings(tokens: list[Token], top_level: int) -> None:
    """Move every heading down so the story's highest one is `top_level` (at most h6)."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not levels:
        return
    shift = max(0, top_level - min(levels))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"


def _unwrap_unsafe_links(state) -> None:
    """Core rule: a link to javascript:, data:… shows its text, not the Markdown around it.

    markdown-it's own check would leave `[bấm](javascript:…)` on the page as typed; readers
    should see "bấm". nh3 checks every remaining href against the same schemes again.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept, dropping = [], False
        for child in block.children:
            if child.type == "link_open" and not is_allowed_url(child.attrGet("href") or ""):
                dropping = True
                continue
            if child.type == "link_close" and dropping:
                dropping = False
                continue
            kept.append(child)
        block.children = kept


def _replace_images(state) -> None:
    """Core rule: an image in the story becomes its alt text."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for i, child in enumerate(block.children):
            if child.type == "image":
                text = Token("text", "", 0)
                text.content = _inline_text(child.children or [])
                block.children[i] = text


def _plain_text(md: MarkdownIt, inline: Token) -> str:
    return " ".join(_inline_text(inline.children or []).split())


def _inline_text(children: list[Token]) -> str:
    """What a reader sees of inline tokens: text, code, alt text; breaks as spaces."""
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)


def _flush(md: MarkdownIt, run: list[Token], parts: list[StoryPart]) -> None:
    if run:
        html = sanitise_story_html(md.renderer.render(run, md.options, {})).strip()
        if html:
            parts.append(StoryPart(0, html))
