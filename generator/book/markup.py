"""Entry bodies (Markdown) to print-safe HTML.

Raw HTML in a body is shown as text, never passed through; images in a body are
dropped (the book prints only the declared, resized `images`); links keep their text
and only http(s)/mailto targets; headings are shifted below the section's own heading
and kept out of the PDF outline.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..text import nfc

SAFE_SCHEMES = ("http://", "https://", "mailto:")
_HEADINGS = {"h1": 4, "h2": 4, "h3": 5, "h4": 6, "h5": 6, "h6": 6}


class _PrintCleaner(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    alt = child.get("alt", "")
                    span = ET.Element("span")
                    span.text = alt
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)
        for element in root.iter():
            if element.tag in _HEADINGS:
                element.tag = f"h{_HEADINGS[element.tag]}"
                element.set("class", "story-heading")
            elif element.tag == "a":
                href = element.get("href", "")
                if not href.lower().startswith(SAFE_SCHEMES):
                    element.attrib.pop("href", None)
                element.attrib.pop("title", None)


class PrintSafe(Extension):
    """Markdown extension: no raw HTML, no images, no unsafe links, demoted headings."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_PrintCleaner(md), "dvk_print_clean", 1)


def make_renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", PrintSafe()], output_format="html")


def render_markdown(text: str, renderer: markdown.Markdown | None = None) -> str:
    """Markdown body -> HTML fragment (NFC)."""
    md = renderer or make_renderer()
    md.reset()
    return nfc(md.convert(nfc(text)))
