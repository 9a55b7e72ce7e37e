"""Pages lose their template indentation, never a byte of preformatted text or script."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compact_html import compact_html, compacts_apart, join_compacted


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


PIECES = ["<p>a</p>", "\n", "\r\n  ", "  ", "\t", "x", "<pre>\n  y\n</pre>", "<script>\n z</script>", "\n\n   ", "<li>", " b "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=5).map("".join), min_size=1, max_size=6))
def test_parts_compacted_apart_and_joined_are_the_compacted_page(parts):
    """A page filled from a theme shell is compacted a part at a time (mkdocs_shell.Shell.fill_compact):
    whatever white space meets at the joints, the result is compact_html of the whole page."""
    if not all(compacts_apart(part) for part in parts):
        return
    joined = join_compacted([(part, compact_html(part)) for part in parts])
    assert joined is None or joined == compact_html("".join(parts))


def test_white_space_across_a_joint_is_one_run():
    parts = ["<nav>\n    ", "\n\n<ul>", "</ul>  \r", "\n  <p>x</p>"]
    assert join_compacted([(part, compact_html(part)) for part in parts]) == compact_html("".join(parts)) == "<nav>\n<ul></ul>  \n<p>x</p>"
    assert not compacts_apart("<pre>\n  open, closed elsewhere")
