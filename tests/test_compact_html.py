"""Pages lose their template indentation, never a byte of preformatted text or script."""

from __future__ import annotations

from generator.compact_html import compact_html


def test_indentation_and_empty_lines_go_preformatted_text_and_scripts_stay():
    html = (
        "<main>\n    <h1>Ngày không giấy hẹn</h1>\n\n\n      <p>Một dòng\n        tiếp theo</p>\r\n  "
        "<pre><code>def f():\n    return 1\n\n\n</code></pre>\n  <textarea>\n  giữ nguyên\n</textarea>\n"
        "  <SCRIPT type=\"module\">\n  const a = `\n    x`;\n</SCRIPT>\n</main>\n"
    )
    assert compact_html(html) == (
        "<main>\n<h1>Ngày không giấy hẹn</h1>\n<p>Một dòng\ntiếp theo</p>\n"
        "<pre><code>def f():\n    return 1\n\n\n</code></pre>\n<textarea>\n  giữ nguyên\n</textarea>\n"
        "<SCRIPT type=\"module\">\n  const a = `\n    x`;\n</SCRIPT>\n</main>\n"
    )


def test_text_on_one_line_is_untouched_and_the_result_is_stable():
    line = '<p class="dvk-lead">  hai  dấu cách  giữa chữ  </p>'
    assert compact_html(line) == line
    once = compact_html("<div>\n  <p>a</p>\n</div>")
    assert compact_html(once) == once
