"""Entry pages written from a checked theme shell are the bytes mkdocs' theme makes.

The mini fixture (which has a title with markup, quotes and "&") is built twice with a
fresh cache: `shell_pages: true` (the default) and `false` (mkdocs renders every page);
both trees must be identical, with site_url, repo_url and edit_uri set so canonical,
OpenGraph and "edit this page" links are per-page values too. Unit tests of the shell
itself (cutting, filling, refusing a filtering template) need no build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from generator.mkdocs_shell import Shell, marker
from sitehelpers import REPO, SITE_MINI, make_project
from test_incremental import tree_differences

SETTINGS = 'site_url: https://vi-du.gov.vn/dvk/\nrepo_url: https://github.com/vi-du/dvk/\nedit_uri: edit/main/docs/\n'


def build_verbose(project: Path, cache: Path, **extra: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(cache), **extra)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-v"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def built_both_ways(project, tmp_path: Path) -> tuple[Path, str]:
    """The project `project(name, shells)` makes, built with shells and without (a fresh
    cache each); the trees must be the same bytes. Returns the shelled project and its log."""
    shelled, themed = project("shelled", True), project("themed", False)
    log = build_verbose(shelled, tmp_path / "cache-a")
    build_verbose(themed, tmp_path / "cache-b")
    assert tree_differences(shelled / "site", themed / "site") == []
    return shelled, log


def with_settings(project: Path, shells: bool) -> Path:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("# site_url: https://example.gov.vn/dan-van-kheo/", SETTINGS.rstrip("\n"), 1)
    text = text.replace("    - navigation.top\n", "    - navigation.top\n    - content.action.edit\n", 1)  # material shows edit links only then
    assert "repo_url" in text and "content.action.edit" in text
    if not shells:
        text = text.replace("      cms: true\n", "      cms: true\n      shell_pages: false\n", 1)
    config.write_text(text, encoding="utf-8")
    return project


def test_shell_pages_are_the_bytes_the_theme_makes(tmp_path):
    shelled = with_settings(make_project(tmp_path / "shelled", SITE_MINI / "content"), shells=True)
    themed = with_settings(make_project(tmp_path / "themed", SITE_MINI / "content"), shells=False)
    # DVK_POOL_MIN=2: pages are rendered and written by forked workers, as on a large site
    log = build_verbose(shelled, tmp_path / "cache-a", DVK_POOL_MIN="2")
    build_verbose(themed, tmp_path / "cache-b")
    used = re.findall(r"dvk: (\d+) trang mục từ khuôn, (\d+) trang qua theme, (\d+) trang chỉ chuyển tiêu đề", log)
    assert len(used) > 1, log[-2000:]  # one line per slice of the pool
    entries = len(list((SITE_MINI / "content").rglob("*.md")))
    # each worker's counts grow over its slices: the busier worker made half the pages or more
    assert max(int(shelled) for shelled, _, _ in used) >= entries // 2, used  # the shells are really used
    assert max(int(short) for _, _, short in used) >= entries // 2, used  # and so is the headings-only Markdown
    assert tree_differences(shelled / "site", themed / "site") == []
    page = (shelled / "site" / "mo-hinh" / "ngay-khong-giay-hen" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://vi-du.gov.vn/dvk/mo-hinh/ngay-khong-giay-hen/">' in page
    assert 'href="https://github.com/vi-du/dvk/edit/main/content/models/tay-ho/ngay-khong-giay-hen.md"' in page  # its own edit link
    assert "qzdvkshell" not in page


def test_shell_fill_puts_each_value_at_its_marker():
    shell = Shell.cut(f"<title>{marker('title')}</title><a href=\"../{marker('slug')}/\">{marker('title')}</a>{marker('content')}")
    html = shell.fill({"title": "A &amp; B", "slug": "mo-hinh-1", "content": f"<p>{marker('title')}</p>"})
    # values are inserted once, never scanned again for markers
    assert html == f"<title>A &amp; B</title><a href=\"../mo-hinh-1/\">A &amp; B</a><p>{marker('title')}</p>"


@pytest.mark.parametrize("template, shell_ok", [("{{ title }}|{{ title }}", True), ("{{ title }}|{{ title | e }}", False), ("{{ title | striptags }}", False), ("{{ title | upper }}", False), ("{{ title | lower }}", False), ("{{ title | trim }}", False), ("{{ title | truncate(200) }}", False), ("{{ title | replace(\"&\", \"and\") }}", False)])
def test_a_template_that_filters_a_value_gets_no_shell(template, shell_ok):
    """The probe check of _make_shell: markers pass filters unchanged, values with &<>"' do not."""
    from generator.mkdocs_shell import PROBE

    render = jinja2.Environment().from_string(template).render
    shell = Shell.cut(render(title=marker("title")))
    probe = marker("title") + PROBE
    assert (shell.fill({"title": probe}) == render(title=probe)) is shell_ok


def test_a_theme_showing_the_entry_path_without_a_repository_gets_the_real_path(tmp_path):
    """Without repo_url pages of every content folder share one shape (the edit path is not
    shown); a theme that prints the file's edit path anyway must not get another page's
    folder: the shell is refused and the theme renders those pages (same bytes as no shells)."""
    def project(name: str, shells: bool) -> Path:
        made = make_project(tmp_path / name, SITE_MINI / "content")
        main = made / "theme" / "main.html"
        main.write_text(main.read_text(encoding="utf-8").replace("{% block site_meta %}", "{% block site_meta %}{% if page %}<meta name=\"dvk-source\" content=\"{{ page.file.edit_uri }}\">{% endif %}", 1), encoding="utf-8")
        if not shells:
            config = made / "mkdocs.yml"
            config.write_text(config.read_text(encoding="utf-8").replace("      cms: true\n", "      cms: true\n      shell_pages: false\n", 1), encoding="utf-8")
        return made

    shelled, log = built_both_ways(project, tmp_path)
    assert "the theme shows a value shells do not fill" in log
    page = (shelled / "site" / "mo-hinh" / "ngay-khong-giay-hen" / "index.html").read_text(encoding="utf-8")
    assert 'content="../content/models/tay-ho/ngay-khong-giay-hen.md"' in page


def test_an_overridden_toc_partial_is_rendered_for_each_page(tmp_path):
    """Pages with the same headings share one TOC render only while the TOC partials are
    material's own: an override may show more of the page (here its URL)."""
    import material

    original = (Path(material.__file__).parent / "templates" / "partials" / "toc.html").read_text(encoding="utf-8")
    override = original.replace('aria-label="{{ title | e }}"', 'aria-label="{{ title | e }}" data-page="{{ page.url }}"', 1)
    assert override != original

    def project(name: str, shells: bool) -> Path:
        made = make_project(tmp_path / name, SITE_MINI / "content")
        (made / "theme" / "partials" / "toc.html").write_text(override, encoding="utf-8")
        source = made / "content" / "models" / "tay-ho" / "ngay-khong-giay-hen.md"
        for number in (2, 3):  # the same headings (so the same TOC) under other titles
            text = source.read_text(encoding="utf-8").replace('title: "Ngày không giấy hẹn"', f'title: "Ngày không giấy hẹn {number}"', 1)
            source.with_name(f"ngay-khong-giay-hen-{number}.md").write_text(text, encoding="utf-8")
        if not shells:
            config = made / "mkdocs.yml"
            config.write_text(config.read_text(encoding="utf-8").replace("      cms: true\n", "      cms: true\n      shell_pages: false\n", 1), encoding="utf-8")
        return made

    shelled, _ = built_both_ways(project, tmp_path)
    for number in (2, 3):
        page = (shelled / "site" / "mo-hinh" / f"ngay-khong-giay-hen-{number}" / "index.html").read_text(encoding="utf-8")
        assert f'data-page="mo-hinh/ngay-khong-giay-hen-{number}/"' in page


@pytest.mark.parametrize("override, shared", [(None, True), ("partials/toc.html", False), ("partials/toc-item.html", False)])
def test_toc_renders_are_shared_only_with_materials_own_partials(tmp_path, override, shared):
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator.mkdocs_shell import ShellRenderer

    (tmp_path / "docs").mkdir()
    (tmp_path / "theme" / "partials").mkdir(parents=True)
    if override:
        (tmp_path / "theme" / override).write_text("<nav>{{ page.url }}</nav>", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: thử\ntheme:\n  name: material\n  custom_dir: theme\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    renderer = ShellRenderer(config, config.theme.get_env(), None, Files([]))
    assert (renderer.toc_cache is not None) is shared


def test_pages_of_every_district_share_one_shell_with_their_own_urls(tmp_path):
    """The pages of a long listing (`cap/quan/trang-2/`, `nam/2024/trang-2/`, …) share
    one shape whatever the level, year or district (_folder_of): each keeps its own canonical URL,
    and the tree is the bytes the theme makes page by page."""
    def project(name: str, shells: bool) -> Path:
        made = with_settings(make_project(tmp_path / name, SITE_MINI / "content"), shells=shells)
        config = made / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("per_page: 48", "per_page: 1", 1), encoding="utf-8")
        return made

    shelled, _ = built_both_ways(project, tmp_path)
    nested = sorted(path.parent.relative_to(shelled / "site").as_posix() for path in (shelled / "site").glob("*/*/*/index.html"))
    sections = {name.split("/")[0] for name in nested}
    folders = {name.split("/")[1] for name in nested}
    assert len(nested) >= 4 and len(folders) >= 3 and len(sections) >= 2, nested
    for name in nested:
        page = (shelled / "site" / name / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="https://vi-du.gov.vn/dvk/{name}/">' in page and "qzdvkshell" not in page


@pytest.mark.parametrize("title", ['Mô hình "Dân vận khéo" & <b>tiêu biểu</b>', "a: b # c", "---", "\\đường dẫn\\ 'đơn'", "dòng 1\ndòng 2\ttab", "emoji 😀, không\u00a0ngắt", "[x](y) *z*", "null", "123", "true"])
def test_the_front_matter_a_page_writer_takes_as_written_is_what_mkdocs_reads(title):
    """A page written from a shell takes its meta from the values its front matter was
    written from (PageSpec.read_source), not from parsing that YAML: both must agree."""
    from mkdocs.utils.meta import get_data

    from generator.render.env import front_matter_text, front_matter_values
    from generator.render.spec import PageSpec

    meta = front_matter_values(title, f"Mô tả: {title}", hide=["navigation"], dvk_search=True, dvk_feeds=[["Trang", "feed.xml"], [f"Trang — {title}", "a/feed.xml"]], dvk_image="anh/a.webp")
    matter = front_matter_text(meta)
    spec = PageSpec("a/", "a/index.md", title, matter + "\n\n# Tiêu đề\n\nNội dung.\n", meta=meta, meta_end=len(matter))
    assert get_data(spec.content) == spec.read_source()
