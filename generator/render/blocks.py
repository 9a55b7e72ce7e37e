"""Keeping generated HTML away from the Markdown parser.

Python-Markdown parses every raw-HTML block with an HTML parser to find where it ends;
on our card-heavy pages that was about half of the build time. The render stage already
knows which parts are HTML (its own templates, autoescaped), so it lifts each top-level
HTML block out and leaves a one-word token; the plugin puts the blocks back into the
HTML Markdown produced (`inline_blocks`). Only template output is lifted: an entry's
story (editor Markdown) is inserted after lifting, so it is always parsed as Markdown.
"""

from __future__ import annotations

import re
import secrets

STORY_TOKEN = "dvkstoryplaceholder"
_BLOCK_START = re.compile(r"<(?:nav|div|header|dl|ul|ol|table|figure|article|section|p|h[1-6]|form)[\s>]")


def new_token_prefix() -> str:
    """A per-run prefix, so no text an editor types can collide with a token."""
    return f"dvkblock{secrets.token_hex(4)}x"


def hoist_html_blocks(text: str, prefix: str) -> tuple[str, tuple[str, ...]]:
    """Replace each blank-line-separated chunk that is an HTML block by a token."""
    blocks: list[str] = []
    out: list[str] = []
    for chunk in text.split("\n\n"):
        body = chunk.strip("\n")
        if _BLOCK_START.match(body):
            out.append(f"{prefix}{len(blocks)}")
            blocks.append(body)
        else:
            out.append(chunk)
    return "\n\n".join(out), tuple(blocks)


def inline_blocks(text: str, prefix: str, blocks: tuple[str, ...]) -> str:
    """Put blocks back where their tokens are (in Markdown, or in HTML as <p>token</p>)."""
    if not blocks:
        return text
    pattern = re.compile(rf"(?:<p>)?{re.escape(prefix)}(\d+)(?:</p>)?")
    return pattern.sub(lambda m: blocks[int(m.group(1))], text)
