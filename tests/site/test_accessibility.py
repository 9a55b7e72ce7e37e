"""axe-core (npm, .cache/node) in Chromium: no violation on any page type, on a phone and a desktop.

Every rule axe runs by default (WCAG 2.x A/AA and its best practices), on the sample site
served as a static host serves it. Page paths are found in the built site, not named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitefixtures import sample_project  # noqa: F401 (fixture)
from sitehelpers import REPO
from test_browser import IN_CI, browser, serve, wait_for_results  # noqa: F401 (fixture)

AXE = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def first_page(site: Path, section: str) -> str:
    found = sorted(p.parent.relative_to(site).as_posix() for p in (site / section).glob("*/index.html"))
    assert found, f"no page under {section}/"
    return found[0] + "/"


def page_types(site: Path) -> dict[str, str]:
    with_pictures = sorted(p for p in (site / "su-kien").glob("*/index.html") if "<picture" in p.read_text(encoding="utf-8"))
    found = {
        "trang chủ": "",
        "quận": first_page(site, "quan-huyen"),
        "phường": first_page(site, "phuong-xa"),
        "mục": first_page(site, "mo-hinh"),
        "sự kiện có ảnh": (with_pictures[0].parent.relative_to(site).as_posix() + "/") if with_pictures else first_page(site, "su-kien"),
        "danh sách": first_page(site, "linh-vuc"),
        "khen thưởng": "khen-thuong/",
        "tìm kiếm": "tim-kiem/?q=dan+van",
        "404": "khong-co-trang-nay/",
    }
    for name, path in (("thống kê", "thong-ke/"), ("dữ liệu", "du-lieu/"), ("điển hình", "dien-hinh-tieu-bieu/"), ("dòng thời gian", "su-kien-theo-thoi-gian/")):
        if (site / path / "index.html").exists():
            found[name] = path
    return found


def run_axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['help']}): {[n['target'] for n in v['nodes'][:4]]}" for v in result["violations"]]


@pytest.mark.parametrize("width", [360, 1280])
def test_no_axe_violation_on_any_page_type(browser, sample_project, width):
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"{AXE} is missing (bash scripts/setup.sh --test)")
        pytest.skip(f"{AXE} is missing")
    site = sample_project / "site"
    problems = {}
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
        try:
            for name, path in page_types(site).items():
                page = context.new_page()
                page.goto(base + path)
                if name == "tìm kiếm":
                    wait_for_results(page)
                    assert page.locator(".dvk-result").count() > 0
                found = run_axe(page)
                if found:
                    problems[f"{name} /{path}"] = found
                page.close()
        finally:
            context.close()
    assert problems == {}, problems
