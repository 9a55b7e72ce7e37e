"""Fast on a phone: precompressed copies a static host can send, a light home page, no
render-blocking script, and Lighthouse's deterministic categories at 100.

Lighthouse's performance score depends on the machine's load: bench/lighthouse.py
reports it; here only accessibility, best practices and SEO are asserted.
"""

from __future__ import annotations

import brotli
import gzip
import re
import shutil
import urllib.request
from pathlib import Path

import pytest

from sitefixtures import sample_project  # noqa: F401 (fixture)
from sitehelpers import html_pages
from test_browser import IN_CI, browser, serve  # noqa: F401 (fixture)
from lighthouse import LIGHTHOUSE, failing_audits, run_lighthouse, scores  # bench/lighthouse.py

HOME_BUDGET = 200 * 1024  # bytes a phone downloads for the home page, images aside
IMAGE_TYPES = ("image",)


def test_every_page_and_text_asset_has_precompressed_copies_equal_to_it(sample_project):
    site = sample_project / "site"
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".css", ".js", ".svg", ".xml", ".json") and p.stat().st_size > 2048]
    assert len(texts) > 50
    for path in texts:
        data = path.read_bytes()
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path


def test_the_server_sends_a_copy_only_to_a_client_that_accepts_it(sample_project):
    with serve(sample_project / "site") as base:
        for accept, encoding in (("br, gzip", "br"), ("gzip", "gzip"), ("gzip;q=0, identity", None), ("", None)):
            request = urllib.request.Request(base, headers={"Accept-Encoding": accept} if accept else {})
            with urllib.request.urlopen(request) as response:
                body = response.read()
                assert response.headers.get("Content-Encoding") == encoding, accept
                text = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}[encoding](body)
                assert text == (sample_project / "site/index.html").read_bytes()


def test_home_page_transfers_at_most_200_kb_without_images(browser, sample_project):
    with serve(sample_project / "site") as base:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        sizes = []
        page.on("requestfinished", lambda r: sizes.append((r.resource_type, r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])))
        page.goto(base, wait_until="networkidle")
        context.close()
    total = sum(size for kind, _, size in sizes if kind not in IMAGE_TYPES)
    assert total <= HOME_BUDGET, (total, sorted(sizes, key=lambda s: -s[2])[:6])


def test_no_page_has_a_render_blocking_script(sample_project):
    """Scripts in <head> are async, deferred or modules; material's bundle sits at the end of <body>."""
    blocking = {}
    for page in html_pages(sample_project / "site"):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head):
            if not re.search(r"\b(defer|async)\b|type=\"module\"", tag):
                blocking.setdefault(tag, page.relative_to(sample_project).as_posix())
    assert blocking == {}


def test_lighthouse_accessibility_best_practices_and_seo_are_100(sample_project):
    if not LIGHTHOUSE.exists() or not shutil.which("node"):
        if IN_CI:
            pytest.fail(f"{LIGHTHOUSE} or node is missing (bash scripts/setup.sh --test)")
        pytest.skip("lighthouse is not installed")
    site = sample_project / "site"
    entry = sorted(p for p in (site / "mo-hinh").glob("*/index.html") if "<picture" in p.read_text(encoding="utf-8"))[0]
    pages = {"home": "", "entry": entry.parent.relative_to(site).as_posix() + "/", "search": "tim-kiem/?q=dan+van"}
    below = {}
    with serve(site) as base:
        for name, path in pages.items():
            report = run_lighthouse(base + path, categories=("accessibility", "best-practices", "seo"))
            got = scores(report)
            for category, score in got.items():
                if score < 100:
                    below[f"{name}/{category}"] = (score, failing_audits(report, category))
    assert below == {}, below
