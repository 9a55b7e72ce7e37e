"""Same content, same bytes: two clean builds in two checkouts give identical site/ and PDF.

End to end on purpose (dvk build, dvk book as an editor runs them): whatever feeds
the search index, encodes fonts or lays out the book, a byte that depends on the clock, the
checkout's path, the cache folder or a random hash seed fails here. Before the fix, 16
files differed on the sample content (4 WOFF2 fonts, the then Pagefind index's filter,
meta and entry files, the PDF); see scripts/compare_builds.py.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import struct
import subprocess
import sys

import pytest

from sitehelpers import REPO, SITE_MINI

SITE_URL = "https://example.org/dvk/"
NEWEST_MINI_DATE = "2025-01-01"  # tests/fixtures/site-mini: newest date is a model of year 2025


def _compare_builds():
    spec = importlib.util.spec_from_file_location("compare_builds", REPO / "scripts" / "compare_builds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The mini fixture built (site + book) in two checkouts with other paths and caches."""
    workdir = tmp_path_factory.mktemp("twice")
    differences, failures = _compare_builds().build_twice(SITE_MINI / "content", workdir, book=True, site_url=SITE_URL)
    assert not failures, "\n".join(failures)
    return workdir, differences


def test_two_checkouts_build_byte_identical_site_and_book(two_builds):
    workdir, differences = two_builds
    site = workdir / "a" / "proj" / "site"
    # the comparison covered what can differ: fonts, the search index, open data, images, the sitemap
    assert list(site.glob("assets/dvk/fonts/*.woff2")) and list(site.glob("chi-muc-tim-kiem/w/*.json")) and list(site.glob("data/trich-dan/*.json"))
    assert (site / "sitemap.xml.gz").is_file() and (workdir / "a" / "proj" / "build" / "book" / "sach-dan-van-kheo.pdf").is_file()
    assert differences == []


def test_sitemap_dates_come_from_content_not_the_clock(two_builds):
    workdir, _ = two_builds
    site = workdir / "a" / "proj" / "site"
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    assert dates == {NEWEST_MINI_DATE}
    header_mtime = struct.unpack("<I", (site / "sitemap.xml.gz").read_bytes()[4:8])[0]
    assert header_mtime == 1735689600  # 2025-01-01T00:00:00Z
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_book_is_dated_by_content_and_names_no_local_path(two_builds):
    workdir, _ = two_builds
    project = workdir / "a" / "proj"
    pdf = project / "build" / "book" / "sach-dan-van-kheo.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "bản ngày 01/01/2025" in " ".join(text.split())
    data = pdf.read_bytes()
    assert str(workdir).encode() not in data and b"file:" not in data


def test_source_date_epoch_wins(tmp_path):
    """A packager's SOURCE_DATE_EPOCH dates the sitemap (and nothing reads the clock)."""
    cb = _compare_builds()
    project = cb.make_checkout(tmp_path / "proj", SITE_MINI / "content", SITE_URL)
    env = {"PYTHONPATH": str(REPO), "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "DVK_CACHE_DIR": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (project / "site" / "sitemap.xml").read_text(encoding="utf-8")))
    assert dates == {"2023-11-14"}
