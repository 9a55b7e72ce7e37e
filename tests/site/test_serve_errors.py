"""`dvk serve` while an editor breaks and fixes an entry: the browser says what to fix."""

from __future__ import annotations

import subprocess
import sys

from sitefixtures import project  # noqa: F401  (fixture)
from sitehelpers import REPO
from test_build import _fetch, _free_port, _wait_for

ENV = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1", "DVK_CACHE_DIR": str(REPO / ".cache")}


def test_preview_shows_errors_on_the_page_and_recovers_when_fixed(project):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    url = f"http://127.0.0.1:{port}/mo-hinh/ngay-khong-giay-hen/"
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    good = entry.read_text(encoding="utf-8")
    try:
        _wait_for(lambda: _fetch(url), lambda html: "Ngày không giấy hẹn" in html)
        entry.write_text(good.replace("field: ", 'field: "nong <b>nghiep</b>"\nold_field: ', 1), encoding="utf-8")
        html = _wait_for(lambda: _fetch(url), lambda html: "dvk-loi-noi-dung" in html, timeout=60)
        assert "content/models/tay-ho/ngay-khong-giay-hen.md:" in html and "field" in html
        assert "<b>nghiep</b>" not in html and "&lt;b&gt;nghiep&lt;/b&gt;" in html  # the editor's text is shown, not run
        assert "Ngày không giấy hẹn" in html  # the last good page is still there under the banner
        assert proc.poll() is None, "the preview keeps running"
        entry.write_text(good.replace('title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn đã sửa"'), encoding="utf-8")
        html = _wait_for(lambda: _fetch(url), lambda html: "Ngày không giấy hẹn đã sửa" in html, timeout=60)
        assert "dvk-loi-noi-dung" not in html
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_preview_whose_first_build_fails_still_opens(project):
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    good = entry.read_text(encoding="utf-8")
    entry.write_text(good.replace("year: ", "year: 1890\nold_year: ", 1), encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    try:
        html = _wait_for(lambda: _fetch(f"http://127.0.0.1:{port}/"), lambda html: "dvk-loi-noi-dung" in html, timeout=60)
        assert "year" in html and "Nội dung có lỗi" in html
        entry.write_text(good, encoding="utf-8")
        _wait_for(lambda: _fetch(f"http://127.0.0.1:{port}/mo-hinh/ngay-khong-giay-hen/"), lambda html: "Ngày không giấy hẹn" in html and "dvk-loi-noi-dung" not in html, timeout=60)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
