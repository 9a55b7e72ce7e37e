"""The plain-files sink: `dvk pages` writes the showcase as Markdown that plain mkdocs builds.

The core renders without a host: the pages, data files and images land in a docs/ tree
with nav.yml, and mkdocs-material *without the dvk plugin* builds it into a site a
citizen can read (titles, facts, links between pages).
"""

from __future__ import annotations

import sys

import yaml

from sitefixtures import project  # noqa: F401 (fixture)
from sitehelpers import collect_links, dvk, run, visible_text


def test_pages_without_a_host_build_with_plain_mkdocs_material(project, tmp_path):
    done = dvk("pages", "--output", "build/pages", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã ghi" in done.stdout
    tree = project / "build" / "pages"
    page = (tree / "docs" / "mo-hinh" / "ngay-khong-giay-hen" / "index.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: ") and "dvkblock" not in page  # HTML blocks in place
    assert (tree / "docs" / "data" / "entries.json").is_file()
    nav = yaml.safe_load((tree / "nav.yml").read_text(encoding="utf-8"))["nav"]
    assert list(nav[0]) == ["Trang chủ"]
    # a plain mkdocs project: material with dvk's theme folder, no dvk plugin
    plain = tmp_path / "plain"
    plain.mkdir()
    config = {"site_name": "Dân vận khéo", "docs_dir": str(tree / "docs"), "site_dir": str(plain / "site"), "theme": {"name": "material", "custom_dir": str(project / "theme"), "language": "vi"}, "plugins": [], "nav": nav}
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    built = run([sys.executable, "-m", "mkdocs", "build"], cwd=plain)
    assert built.returncode == 0, built.stderr[-3000:]
    html = (plain / "site" / "mo-hinh" / "ngay-khong-giay-hen" / "index.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert "Ngày không giấy hẹn" in text and "Tây Hồ" in text
    hostile = next((plain / "site" / "mo-hinh").glob("mo-hinh-script*/index.html"), None)
    if hostile is not None:
        assert "<script>alert(1)</script>" not in hostile.read_text(encoding="utf-8")
    # links between pages resolve inside the plain site
    for tag, href in collect_links(plain / "site" / "mo-hinh" / "ngay-khong-giay-hen" / "index.html").links:
        if tag == "a" and href.startswith("../") and "#" not in href and not href.endswith((".json", ".xml")):
            target = (plain / "site" / "mo-hinh" / "ngay-khong-giay-hen" / href).resolve()
            assert (target / "index.html").is_file() or target.is_file(), href


def test_a_second_run_leaves_no_page_of_a_removed_entry(project):
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    extra = entry.with_name("mot-cua-nhat-tan.md")
    extra.write_text(entry.read_text(encoding="utf-8").replace('title: "Ngày không giấy hẹn"', 'title: "Một cửa thân thiện Nhật Tân"'), encoding="utf-8")
    assert dvk("pages", cwd=project).returncode == 0
    assert (project / "build/pages/docs/mo-hinh/mot-cua-nhat-tan/index.md").is_file()
    extra.unlink()
    done = dvk("pages", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (project / "build/pages/docs/mo-hinh/mot-cua-nhat-tan").exists()
    assert not list((project / "build").glob(".pages.*"))  # no half-written folder left


def test_a_folder_it_did_not_write_is_never_replaced(project):
    (project / "docs" / "ghi-chu.md").write_text("Ghi chú của biên tập viên\n", encoding="utf-8")
    done = dvk("pages", "--output", "docs", cwd=project)
    assert done.returncode == 2 and "không do dvk pages ghi" in done.stderr
    assert (project / "docs" / "ghi-chu.md").is_file()
