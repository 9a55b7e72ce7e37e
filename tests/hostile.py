"""Hostile input shared by the safety tests: payloads and an HTML checker.

The checker parses HTML with html.parser (what a browser would see as elements and
attributes) instead of searching text, so an escaped `&lt;script&gt;` shown as words
is fine and a real `<img onerror>` is caught however it is spelled.
"""

from __future__ import annotations

from html.parser import HTMLParser

BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background"}

# The eight story constructs that ran script on main (issue 12), and friends.
STORY_PAYLOADS = {
    "nested brackets": "[a [b] c](javascript:window.__pwned=1)",
    "link text over two lines": "[bấm\nvào đây](javascript:window.__pwned=2)",
    "reference target on next line": "[bấm][x]\n\n[x]:\n  javascript:window.__pwned=3",
    "raw img after escaped backticks": "\\`\\` <img src=x onerror=window.__pwned=4> ``",
    "entity javascript link": "[bấm](&#106;avascript:window.__pwned=5)",
    "attr_list onerror": "![x](x.png){: onerror=window.__pwned=6}",
    "attr_list href": "[bấm](https://a.vn){: href=javascript:window.__pwned=7}",
    "attr_list onmouseover": "Đoạn văn\n{: onmouseover=window.__pwned=8}",
    "script block": "<script>window.__pwned=9</script>",
    "svg onload": "<svg onload=window.__pwned=10>",
    "iframe srcdoc": '<iframe srcdoc="<script>parent.__pwned=11</script>"></iframe>',
    "data url": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript url": "[x](vbscript:msgbox(1))",
    "autolink javascript": "<javascript:window.__pwned=12>",
    "html entity tab in scheme": "[x](java&#x09;script:window.__pwned=13)",
    "heading attr_list": "## Tiêu đề {: onclick=window.__pwned=14}",
    "heading html": "## <img src=x onerror=window.__pwned=15>",
    "table cell html": "| a |\n|---|\n| <img src=x onerror=window.__pwned=16> |",
    "image javascript": "![x](javascript:window.__pwned=17)",
    "link title quote": '[x](https://a.vn "\\" onmouseover=window.__pwned=18 x=\\"")',
}

# Front-matter payloads: end attributes, start tags, break out of scripts and JSON.
TEXT_PAYLOADS = (
    '"><img src=x onerror=window.__pwned=21>',
    "</script><script>window.__pwned=22</script>",
    "<svg/onload=window.__pwned=23>",
    "'\"><a href=javascript:window.__pwned=24>x</a>",
    "{: onclick=window.__pwned=25}",
)


class _Finder(HTMLParser):
    def __init__(self, allow_scripts: bool):
        super().__init__(convert_charrefs=True)
        self.allow_scripts = allow_scripts
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed") or (tag == "script" and not self.allow_scripts):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            name = name.lower()
            value = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and any(scheme in value for scheme in BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:40]}>")

    handle_startendtag = handle_starttag


def find_script(html: str, *, allow_scripts: bool = False) -> list[str]:
    """Elements and attributes in `html` that would run script (empty when clean).

    `allow_scripts=True` for whole site pages, whose own <script> elements (theme, search,
    lightbox) are not entry text; event handlers and script URLs are still reported.
    """
    finder = _Finder(allow_scripts)
    finder.feed(html)
    finder.close()
    return finder.found
