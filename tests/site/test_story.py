"""Entry stories are data: converted in the render stage, sanitised, never run as script."""

from __future__ import annotations

import pytest

from generator.book.markup import render_markdown
from generator.render.body import StoryTooSlow, render_story_html, render_story_parts
from generator.render.core import place_story
from hostile import STORY_PAYLOADS, find_script


def story_html(body: str) -> str:
    return "\n".join(part.text for part in render_story_parts(body) if not part.level)


@pytest.mark.parametrize("name", sorted(STORY_PAYLOADS))
def test_hostile_story_constructs_never_make_script_on_site_or_in_book(name):
    body = f"Mở đầu.\n\n{STORY_PAYLOADS[name]}\n\nKết thúc."
    for html in (story_html(body), render_markdown(body), render_story_html(body)):
        assert find_script(html) == [], (name, html)
        assert "Mở đầu." in html and "Kết thúc." in html  # the rest of the story is kept


def test_links_to_script_keep_only_their_text():
    html = story_html("[bấm vào](javascript:alert(1)) [x](&#106;avascript:y) [d](data:text/html,z) [r][k]\n\n[k]:\n  vbscript:q")
    assert html == "<p>bấm vào x d r</p>"


def test_raw_html_is_shown_as_words_and_code_stays_code():
    html = story_html("a <b>đậm</b> `<i>` <https://example.com>")
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html and "<code>&lt;i&gt;</code>" in html
    assert '<a href="https://example.com" rel="noopener nofollow">https://example.com</a>' in html


def test_safe_links_and_markdown_survive():
    html = story_html("**đậm** *nghiêng* [báo](https://hanoimoi.vn/a) [thư](mailto:a@b.vn)\n\n- một\n- hai\n\n> trích\n\n| a | b |\n|--:|---|\n| 1 | 2 |")
    assert "<strong>đậm</strong>" in html and "<em>nghiêng</em>" in html
    assert 'href="https://hanoimoi.vn/a"' in html and 'href="mailto:a@b.vn"' in html
    assert "<li>một</li>" in html and "<blockquote>" in html and '<th style="text-align:right">a</th>' in html


def test_story_images_show_their_alt_text_only():
    html = story_html("Xem ![ảnh *lễ* trao](http://tracker.example/x.png) nhé")
    assert "<img" not in html and "tracker.example" not in html and "Xem ảnh lễ trao nhé" in html


def test_headings_are_split_out_shifted_and_plain_text():
    parts = render_story_parts("# Bối cảnh\n\nChữ.\n\n## Cách *làm* `x`\n\n> ## trong trích dẫn\n", top_level=3)
    assert [(p.level, p.text) for p in parts if p.level] == [(3, "Bối cảnh"), (4, "Cách làm x")]
    assert "<h4>trong trích dẫn</h4>" in parts[-1].text  # nested headings stay inside the HTML


def test_heading_text_goes_into_page_markdown_escaped():
    parts = render_story_parts("## <img src=x onerror=alert(1)> {: onclick=x} [a](javascript:b)")
    markdown, blocks = place_story(parts, ("<p>trước</p>",), "tok")
    assert markdown == r"### &lt;img src=x onerror=alert\(1\)\> \{: onclick=x\} a" and blocks == ("<p>trước</p>",)


def test_story_html_becomes_lifted_blocks_after_the_template_blocks():
    markdown, blocks = place_story(render_story_parts("Một.\n\n## Hai\n\nBa."), ("<div>mẫu</div>",), "tok")
    assert markdown == "tok1\n\n### Hai\n\ntok2" and blocks == ("<div>mẫu</div>", "<p>Một.</p>", "<p>Ba.</p>")


def test_book_story_has_print_headings_and_no_relative_links():
    html = render_markdown("## Tiêu đề\n\n[trang](../x/) [web](https://a.vn)")
    assert '<h4 class="story-heading">Tiêu đề</h4>' in html
    assert 'href="../x/"' not in html and 'href="https://a.vn"' in html


def test_a_story_over_its_time_budget_raises():
    body = "[" * 20_000
    with pytest.raises(StoryTooSlow):
        render_story_parts(body, seconds=0.001)
    with pytest.raises(StoryTooSlow):
        render_markdown(body, seconds=0.001)
    assert render_story_parts("Ngắn.", seconds=0.001)[0].text == "<p>Ngắn.</p>"  # checked every few steps, not at once


def test_validator_refuses_a_flood_of_brackets_with_the_line_where_it_starts(project):
    path = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nDòng thường.\n\n" + "[" * 1500 + "\n" + "[" * 1500 + "\n", encoding="utf-8")
    from generator.validate import validate_content

    problems = [p for p in validate_content(project).errors if p.key == "nội dung"]
    assert len(problems) == 1 and "2.000 ký tự “[”" in problems[0].message
    assert path.read_text(encoding="utf-8").split("\n")[problems[0].line - 1].startswith("[[[")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert problems[0].line == max(i for i, line in enumerate(lines, 1) if line.startswith("["))  # the second run passes the limit


def test_site_build_turns_a_runaway_story_into_an_error_naming_the_file(project):
    from generator.derive import derive_site
    from generator.render import RenderOptions, RenderProblems, render_site
    from generator.validate import validate_content

    path = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "[a](" * 1500 + "\n", encoding="utf-8")
    content = validate_content(project)
    assert not content.errors
    with pytest.raises(RenderProblems) as failed:
        render_site(derive_site(content.entries, content.places), RenderOptions(story_seconds=0.0001))
    [problem] = failed.value.problems
    assert problem.path.endswith("ngay-khong-giay-hen.md") and problem.key == "nội dung" and "giây" in problem.message
    # deferred (as the mkdocs plugin renders entry pages, where their shells are filled):
    # the same problem, from the one page, when that page is rendered
    from generator.render import ENTRY

    result = render_site(derive_site(content.entries, content.places), RenderOptions(story_seconds=0.0001), defer=(ENTRY,))
    deferred = [page for page in result.pages if page.deferred is not None]
    assert deferred and all(page.role == ENTRY and page.content == "" for page in deferred)
    failing = [page for page in deferred if page.source.endswith("ngay-khong-giay-hen.md")]
    with pytest.raises(RenderProblems) as late:
        failing[0].deferred()
    assert [(p.path, p.key) for p in late.value.problems] == [(problem.path, problem.key)]
    others = [page.deferred() for page in deferred if page is not failing[0] and "[a](" not in page.source]
    assert all(page.content.startswith("---\n") and page.deferred is None for page in others)
