"""End-to-end builds: `dvk build` / `mkdocs build` on the sample and the mini fixture."""

from __future__ import annotations

import json
import os
import posixpath
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.load import find_entry_files
from generator.search import BUNDLE
from sitefixtures import mini_project, project, sample_project  # noqa: F401 (fixtures)
from sitehelpers import REPO, collect_links, dvk, html_pages, make_project, mkdocs, run, visible_text

ENTRY_ROOTS = {"model": "mo-hinh", "exemplar": "dien-hinh", "events": "su-kien"}


def entry_page(site: Path, collection: str, path: Path) -> Path:
    if collection == "events":
        return site / "su-kien" / path.stem / "index.html"
    kind = re.search(r"^kind:\s*(\w+)", path.read_text(encoding="utf-8"), re.M).group(1)
    return site / ENTRY_ROOTS[kind] / path.stem / "index.html"


def broken_links(site: Path) -> list[str]:
    """Every internal href/src that does not resolve to a file (or anchor) in the site."""
    problems = []
    ids: dict[Path, set[str]] = {}
    pages = html_pages(site)
    parsed = {page: collect_links(page) for page in pages}
    for page, links in parsed.items():
        ids[page] = links.ids
    for page, links in parsed.items():
        for tag, link in links.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in ids[page] and parts.fragment not in ("", "__drawer", "__search"):
                    problems.append(f"{page.relative_to(site)}: #{parts.fragment}")
                continue
            base = site if parts.path.startswith("/") else page.parent  # 404.html uses root paths
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(site)}: {tag} {link}")
            elif parts.fragment and target in ids and parts.fragment not in ids[target]:
                problems.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    return problems


# -- the sample content ---------------------------------------------------------------------


def test_sample_build_writes_a_page_for_every_entry_and_view(sample_project):
    site = sample_project / "site"
    for collection, path in find_entry_files(sample_project / "content"):
        assert entry_page(site, collection, path).is_file(), path
    for view in ("", "dia-ban/", "linh-vuc/", "cap/", "nam/", "dien-hinh-tieu-bieu/", "su-kien-theo-thoi-gian/", "khen-thuong/", "tim-kiem/"):
        assert (site / view / "index.html").is_file(), view
    assert (site / "sitemap.xml").is_file()


def test_sample_site_has_no_broken_internal_link_or_image(sample_project):
    assert broken_links(sample_project / "site") == []


def test_no_placeholder_token_reaches_a_page(sample_project, mini_project):
    for site in (sample_project / "site", mini_project / "site"):
        for page in html_pages(site):
            text = page.read_text(encoding="utf-8")
            assert "dvkblock" not in text and "dvkstoryplaceholder" not in text, page


def test_mini_site_has_no_broken_internal_link_or_image(mini_project):
    site = mini_project / "site"
    assert broken_links(site) == []
    assert list(site.glob("anh/giay-khen-*-*.webp")) and list(site.glob("anh/giay-khen-*-*.jpg"))
    assert not (site / "anh/models").exists()  # originals are never published


def test_sample_strict_mkdocs_build_is_clean(sample_project, tmp_path):
    done = mkdocs("build", "--strict", "-d", str(tmp_path / "out"), cwd=sample_project)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr


def test_mini_strict_mkdocs_build_is_clean(project, tmp_path):
    done = mkdocs("build", "--strict", "-d", str(tmp_path / "out"), cwd=project)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "no such anchor" not in done.stderr, done.stderr


def test_no_page_asks_a_third_party_host_for_anything(sample_project):
    """src attributes and <link> (stylesheets, fonts, icons) stay on the site; <a> may leave it."""
    site = sample_project / "site"
    for page in html_pages(site):
        for tag, link in collect_links(page).links:
            if tag != "a" and urlsplit(link).scheme in ("http", "https") or link.startswith("//"):
                pytest.fail(f"{page.relative_to(site)}: {tag} {link}")
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    css = (site / "assets/dvk/dvk.css").read_text(encoding="utf-8")
    assert "http" not in css
    assert (site / "assets/dvk/fonts/BeVietnamPro-Regular.ttf").stat().st_size > 50_000
    fonts_css = (site / "assets/dvk/fonts.css").read_text(encoding="utf-8")
    assert 'url("fonts/BeVietnamPro-Regular.ttf")' in fonts_css and "http" not in fonts_css


def test_the_themes_own_search_files_are_not_published(mini_project, project, tmp_path):
    """dvk searches with its own index; mkdocs-material's lunr files and search worker are
    never loaded without its search plugin (1.5 MB of dead files in every upload). A
    project that turns that plugin on keeps them."""
    site = mini_project / "site"
    assert (site / "assets/javascripts").is_dir() and (site / "assets/dvk/search-engine.js").is_file()
    assert not (site / "assets/javascripts/lunr").exists()
    assert not [p.name for p in (site / "assets/javascripts").rglob("search.*")]
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n", 1), encoding="utf-8")
    done = mkdocs("build", "-d", str(tmp_path / "out"), cwd=project)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/assets/javascripts/lunr/min/lunr.vi.min.js").is_file()
    assert [p.name for p in (tmp_path / "out/assets/javascripts/workers").glob("search.*.min.js")]


def test_search_indexes_entry_pages_only(sample_project):
    index = json.loads((sample_project / "site" / BUNDLE / "index.json").read_text(encoding="utf-8"))
    assert index["pages"] == len(find_entry_files(sample_project / "content"))
    assert index["language"] == "vi"


def test_navigation_lists_sections_only(sample_project):
    html = (sample_project / "site/mo-hinh/30-phut-vi-dan/index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'<li class="md-tabs__item[^"]*">\s*<a href="[^"]*" class="md-tabs__link">\s*([^<]+?)\s*</a>', html)
    assert tabs == ["Trang chủ", "Địa bàn", "Lĩnh vực", "Cấp", "Năm", "Điển hình", "Sự kiện", "Khen thưởng", "Thống kê", "Tìm kiếm"]
    assert html.count('class="md-nav__link"') < 40  # never one item per entry


def test_entry_pages_have_title_description_and_open_graph(sample_project):
    html = (sample_project / "site/mo-hinh/30-phut-vi-dan/index.html").read_text(encoding="utf-8")
    assert "<title>30 phút vì dân - Dân vận khéo — Hà Nội</title>" in html
    assert '<meta name="description" content="Mô hình gắn việc phục vụ' in html
    assert '<meta property="og:title" content="30 phút vì dân">' in html
    assert '<html lang="vi"' in html


# -- mini fixture: options, errors, swap --------------------------------------------------------


def test_heading_ids_keep_d_with_stroke(mini_project):
    html = (mini_project / "site/mo-hinh/duong-lang-sach-dong-da/index.html").read_text(encoding="utf-8")
    assert 'id="duong-lang-hom-nay"' in html and 'id="ieu-gi' not in html


def test_story_html_is_escaped_in_the_built_page(mini_project):
    html = (mini_project / "site/mo-hinh/thu-ky-tu-dac-biet/index.html").read_text(encoding="utf-8")
    article = html.split("<article")[1].split("</article>")[0]
    assert "<script" not in article and "<iframe" not in article and "onerror=alert" not in article.replace("onerror=alert(3)&gt;", "")
    assert "javascript:" not in article
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article


def test_canonical_url_og_url_and_sitemap_when_site_url_is_set(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("# site_url:", "site_url: https://dvk.example.vn/ #"), encoding="utf-8")
    assert dvk("build", cwd=project).returncode == 0
    html = (project / "site/mo-hinh/ngay-khong-giay-hen/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://dvk.example.vn/mo-hinh/ngay-khong-giay-hen/">' in html
    assert '<meta property="og:url" content="https://dvk.example.vn/mo-hinh/ngay-khong-giay-hen/">' in html
    assert re.search(r'<meta property="og:image" content="https://dvk.example.vn/anh/giay-khen-[0-9a-f]{10}-\d+\.jpg">', html)
    assert "<loc>https://dvk.example.vn/quan-huyen/tay-ho/</loc>" in (project / "site/sitemap.xml").read_text()


def test_generated_entry_files_point_edit_links_at_the_entry_file(project):
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["dvk"]
    plugin.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        files = plugin.on_files(Files([]), config=config)
    finally:
        plugin.on_shutdown()  # as mkdocs' command line does (the build's collector pause ends)
    # entry pages are written from theme shells after mkdocs (mkdocs_shell.py): kept aside
    shelled = {file.src_uri: file for file, _, _ in plugin.shell_pending}
    entry = files.get_file_from_path("mo-hinh/ngay-khong-giay-hen/index.md") or shelled["mo-hinh/ngay-khong-giay-hen/index.md"]
    assert entry.edit_uri == "../content/models/tay-ho/ngay-khong-giay-hen.md"  # joined to edit_uri (docs/)
    assert entry.inclusion.name == "NOT_IN_NAV"
    assert files.get_file_from_path("dia-ban/index.md").inclusion.name != "NOT_IN_NAV"


def test_plain_mkdocs_build_fails_on_content_errors_with_the_same_messages(project, tmp_path):
    bad = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("level: quan", "level: phuong"), encoding="utf-8")
    built = mkdocs("build", "-d", str(tmp_path / "out"), cwd=project)
    validated = dvk("validate", cwd=project)
    assert built.returncode != 0 and validated.returncode == 1
    for line in validated.stdout.splitlines():
        if line.startswith("content/"):
            assert line in built.stderr


def test_content_errors_fail_the_build_with_validate_messages_and_keep_the_old_site(project):
    assert dvk("build", cwd=project).returncode == 0
    marker = project / "site" / "marker.txt"
    marker.write_text("old site")
    bad = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("field: xay-dung-he-thong-chinh-tri", "field: kinh te lạ"), encoding="utf-8")
    built = dvk("build", cwd=project)
    validated = dvk("validate", cwd=project)
    assert built.returncode == 1 and validated.returncode == 1
    problem_lines = [line for line in validated.stdout.splitlines() if line.startswith("content/")]
    assert problem_lines and all(line in built.stderr for line in problem_lines)
    assert "Traceback" not in built.stderr
    assert marker.read_text() == "old site"
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_successful_build_replaces_site_whole(project):
    (project / "site").mkdir()
    (project / "site" / "stale.html").write_text("stale")
    done = dvk("build", cwd=project)
    assert done.returncode == 0 and "Đã dựng" in done.stdout
    assert "dvk serve" in done.stdout.strip().splitlines()[-1]  # the last line says how to view the site
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").is_file()
    # the replaced site is kept, hidden, for the next build to update (build/kept.py)
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == [".site.spare"]
    assert (project / ".site.spare" / "stale.html").read_text() == "stale"


def test_build_outside_a_project_says_what_to_do(tmp_path):
    done = dvk("build", "--root", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "mkdocs.yml" in done.stderr and "Traceback" not in done.stderr


def test_plugin_watches_content_when_serving(project):
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["dvk"]
    plugin.on_startup(command="serve", dirty=False)
    config.plugins.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=config, builder=None)
    assert str((project / "content").resolve()) in server.watched
    # the project's own theme too (a saved partial shows without restarting dvk serve),
    # not material's installed files
    assert str((project / "theme").resolve()) in server.watched
    assert not any("site-packages" in path for path in server.watched)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_rebuilds_when_an_entry_changes(project):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1", "DVK_CACHE_DIR": str(REPO / ".cache")})
    url = f"http://127.0.0.1:{port}/mo-hinh/ngay-khong-giay-hen/"
    try:
        html = _wait_for(lambda: _fetch(url), lambda html: "Ngày không giấy hẹn" in html)
        assert "livereload" in html
        entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
        other = f"http://127.0.0.1:{port}/mo-hinh/to-hoa-giai-dinh-cong/"
        before = _fetch(other)
        entry.write_text(entry.read_text(encoding="utf-8").replace('title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn mới"'), encoding="utf-8")
        _wait_for(lambda: _fetch(url), lambda html: "Ngày không giấy hẹn mới" in html, timeout=30)
        # the rebuild updated the served site (build/kept.py): other pages as they were,
        # a deleted entry's page gone
        served = lambda html: re.sub(r"livereload\(\d+, \d+\)", "", html)  # noqa: E731 (the server's epochs)
        assert served(_fetch(other)) == served(before)
        (project / "content/models/hoang-mai/to-hoa-giai-dinh-cong.md").unlink()
        _wait_for(lambda: _status(other), lambda status: status == 404, timeout=30)
        assert "Ngày không giấy hẹn mới" in _fetch(url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_for(get, ok, timeout: float = 30):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = get()
            if ok(last):
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out; last response: {str(last)[:300]}")


def test_swap_replaces_a_site_in_one_step(tmp_path):
    from generator.sitecli import swap_into_place

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "index.html").write_text("new")
    swap_into_place(tmp_path / "new", tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["index.html"]


def test_fonts_made_beside_the_pages_on_a_first_build_are_the_cached_ones(project, tmp_path):
    """With no font cache, the WOFF2 copies are made by the background run (fontfiles.py):
    every face the CSS names is in the site, with the bytes a warm cache gives."""


    from generator.fontfiles import woff2_copy

    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(tmp_path / "empty-cache"))
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    fonts = project / "site" / "assets" / "dvk" / "fonts"
    named = re.findall(r'url\("fonts/([^"]+)"\)', (project / "site" / "assets" / "dvk" / "fonts.css").read_text(encoding="utf-8"))
    assert sum(name.endswith(".woff2") for name in named) == 4 and all((fonts / name).is_file() for name in named)
    for woff2 in fonts.glob("*.woff2"):
        ttf = next(Path(p) for p in (tmp_path / "empty-cache" / "dvk-fonts").rglob(woff2.name))
        assert woff2.read_bytes() == ttf.read_bytes()
    import fontpkg_be_vietnam_pro as fontpkg

    regular = Path(fontpkg.__file__).parent / "files" / "BeVietnamPro-Regular.ttf"
    assert (fonts / "BeVietnamPro-Regular.woff2").read_bytes() == woff2_copy(regular, tmp_path / "other-cache").read_bytes()
