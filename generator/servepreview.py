"""What `dvk serve` shows in the browser while the content has errors.

An editor saving a file looks at the browser, not at the terminal: every preview page
gets a banner listing the problems (file, line, key, what to write), and the preview
keeps serving the last good pages. The save that fixes the file rebuilds without it.
Problem text is an editor's input echoed back, so every piece is escaped.
"""

from __future__ import annotations

import re
from html import escape

from .model import Problem

BANNER_ID = "dvk-loi-noi-dung"
MAX_SHOWN = 50
_BODY_OPEN = re.compile(r"<body[^>]*>", re.I)


def render_error_banner(problems: list[Problem]) -> str:
    """A self-styled alert (no stylesheet needed) with one line per problem."""
    items = "".join(
        f"<li><code>{escape(p.path)}{':' + str(p.line) if p.line else ''}</code> "
        f"{'<strong>' + escape(p.key) + '</strong>: ' if p.key else ''}{escape(p.message)}"
        f"{' — ' + escape(p.hint) if p.hint else ''}</li>"
        for p in problems[:MAX_SHOWN]
    )
    more = f"<p>… và {len(problems) - MAX_SHOWN} lỗi khác (chạy <code>dvk validate</code> để xem đủ).</p>" if len(problems) > MAX_SHOWN else ""
    return (
        f'<div id="{BANNER_ID}" role="alert" style="background:#fff3f3;color:#5c0000;border:3px solid #a3161a;'
        'padding:12px 16px;margin:0;font:15px/1.5 system-ui,sans-serif;position:relative;z-index:10">'
        f"<p style=\"margin:0 0 6px;font-weight:700\">Nội dung có {len(problems)} lỗi — trang xem trước đang hiện bản dựng tốt gần nhất. "
        "Sửa rồi lưu tệp, trang sẽ tự tải lại.</p>"
        f'<ul style="margin:0;padding-left:20px">{items}</ul>{more}</div>'
    )


def insert_banner(html: str, banner: str) -> str:
    """The banner right after <body>, so it is the first thing on every page."""
    match = _BODY_OPEN.search(html)
    if not match:
        return banner + html
    return html[: match.end()] + banner + html[match.end():]


def render_error_markdown(problems: list[Problem]) -> str:
    """The home page of a preview whose very first build has errors (no good pages yet)."""
    return "---\ntitle: Nội dung có lỗi\n---\n\n# Nội dung có lỗi\n\nSửa các lỗi ở đầu trang rồi lưu tệp; trang sẽ tự tải lại.\n"
