"""The built site speaks Vietnamese and says who stands behind it (issue 13).

Checked on the mini fixture built with `dvk build`: the 404 page, material's own strings
(tab bar, back-to-top, logo), every aria-label/title/alt/placeholder, the footer from
mkdocs.yml with a deterministic date, and the home page's <title>.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import yaml

from sitefixtures import mini_project, project  # noqa: F401 (fixtures)
from sitehelpers import REPO, dvk, html_pages, theme_pages, visible_text

SITE_NAME = "Dân vận khéo — Hà Nội"
# English words material (or a careless template) puts in a page; none may reach a reader.
ENGLISH = re.compile(r"\b(not found|tabs?|back to top|close|previous|next|search|logo|menu|skip to|copy to clipboard|initializing|table of contents|home)\b", re.I)
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def _footer_config() -> dict:
    """extra.dvk_footer of the repository's mkdocs.yml, with the plugin's licence as `licence`."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(re.sub(r"!!python/name:\S+", "null", text))
    plugin = next(p["dvk"] for p in config["plugins"] if isinstance(p, dict) and "dvk" in p)
    return {**config["extra"]["dvk_footer"], "licence": plugin["licence"]}


def _expected_date() -> str:
    """The footer's date: SOURCE_DATE_EPOCH when the test run sets it, else the fixture's newest date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).strftime("%d/%m/%Y")
    return "31/07/2024"  # tests/fixtures/site-mini: the contest of 31/07/2024 is its newest date


def test_404_page_is_vietnamese_with_links_home_and_to_search(mini_project):
    html = (mini_project / "site" / "404.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert "Không tìm thấy trang" in text and "Not found" not in text and "404 -" not in text
    assert "<title>Không tìm thấy trang - Dân vận khéo — Hà Nội</title>" in html
    main = html.split('<div class="md-content"', 1)[1]
    assert re.search(r'<a href="/\.?">Về trang chủ</a>', main)
    assert '<a href="/tim-kiem/">Tìm kiếm' in main


def test_material_strings_read_as_vietnamese(mini_project):
    html = (mini_project / "site" / "dia-ban" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in html
    assert 'aria-label="Mục chính"' in html  # the tab bar, not "Tabs"
    assert "Lên đầu trang" in html and "Trở lại mục lục" not in html and "Back to top" not in html
    assert 'alt="logo"' not in html


def test_no_english_in_any_label_a_reader_or_screen_reader_meets(mini_project):
    offenders = []
    for page in html_pages(mini_project / "site"):
        html = page.read_text(encoding="utf-8")
        for attr in ATTRIBUTES:
            for value in re.findall(rf'\s{attr}="([^"]*)"', html):
                if ENGLISH.search(value):
                    offenders.append((page.relative_to(mini_project).as_posix(), attr, value))
        body = visible_text(html.split("<body", 1)[1])
        for phrase in ("Not found", "Back to top", "Made with", "Initializing search", "Copy to clipboard"):
            if phrase in body:
                offenders.append((page.relative_to(mini_project).as_posix(), "text", phrase))
    assert not offenders, offenders[:20]


def test_footer_names_publisher_contact_licence_and_date(mini_project):
    footer_config = _footer_config()
    for page in ("index.html", "dia-ban/index.html", "404.html"):
        html = (mini_project / "site" / page).read_text(encoding="utf-8")
        footer = html.split('<footer class="md-footer">', 1)[1].split("</footer>", 1)[0]
        text = visible_text(footer)
        assert footer_config["publisher"] in text
        assert footer_config["contact"] in text
        assert footer_config["licence"] in text and f'href="{footer_config["licence_url"]}"' in footer
        assert f"Cập nhật lần cuối {_expected_date()}" in text


def test_home_title_is_the_site_name_once(mini_project):
    html = (mini_project / "site" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<title>([^<]*)</title>", html) == [SITE_NAME]
    inner = (mini_project / "site" / "dia-ban" / "index.html").read_text(encoding="utf-8")
    assert f"<title>Địa bàn - {SITE_NAME}</title>" in inner


def test_footer_date_comes_from_source_date_epoch_not_the_clock(project, mini_project, monkeypatch):
    """A second build with SOURCE_DATE_EPOCH differs from the first only by that date."""
    first_date = _expected_date()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14/11/2023 (UTC)
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    first, second = mini_project / "site", project / "site"
    pages = [p.relative_to(first) for p in theme_pages(first)]
    assert pages == [p.relative_to(second) for p in theme_pages(second)]
    for rel in pages:
        a = (first / rel).read_text(encoding="utf-8")
        b = (second / rel).read_text(encoding="utf-8")
        assert f"Cập nhật lần cuối</dt><dd>{first_date}</dd>" in a, rel
        assert "Cập nhật lần cuối</dt><dd>14/11/2023</dd>" in b, rel
        assert a.replace(first_date, "DATE") == b.replace("14/11/2023", "DATE").replace(first_date, "DATE"), rel


def test_footer_date_rules_without_a_build():
    """SOURCE_DATE_EPOCH (UTC day) wins; otherwise the newest event or article date; never today."""
    from generator.derive import derive_site
    from generator.render.footer import footer_date
    from generator.validate import validate_content
    from sitehelpers import SITE_MINI

    content = validate_content(SITE_MINI)
    site = derive_site(content.entries, content.places)
    assert footer_date(site, None) == dt.date(2024, 7, 31)
    assert footer_date(site, "") == dt.date(2024, 7, 31)
    assert footer_date(site, "không phải số") == dt.date(2024, 7, 31)
    assert footer_date(site, "1700000000") == dt.date(2023, 11, 14)
    empty = derive_site([], content.places)
    assert footer_date(empty, None) is None
