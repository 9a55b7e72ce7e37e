"""`dvk serve` leaves unchanged open-data files in the served site (mkdocs_served.py):
what a citizen fetches after each save is still what a clean build would publish."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error

from sitefixtures import project  # noqa: F401  (fixture)
from test_build import _fetch, _free_port, _wait_for
from test_serve_errors import ENV


def _status(url: str) -> int:
    try:
        _fetch(url)
        return 200
    except urllib.error.HTTPError as error:
        return error.code


def test_citation_files_follow_edits_deletions_and_errors_while_serving(project):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    edited = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    removed = project / "content/models/dong-da/duong-lang-sach-dong-da.md"
    kept = "/data/trich-dan/to-hoa-giai-dinh-cong.json"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    good = edited.read_text(encoding="utf-8")
    try:
        _wait_for(lambda: _fetch(base + "/mo-hinh/ngay-khong-giay-hen/"), lambda html: "Ngày không giấy hẹn" in html, timeout=120)
        unchanged = _fetch(base + kept)
        assert json.loads(unchanged)[0]["title"]
        gone = "/data/trich-dan/duong-lang-sach-dong-da.json"
        assert _status(base + gone) == 200

        edited.write_text(good.replace('title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn đã sửa"'), encoding="utf-8")
        cited = _wait_for(lambda: _fetch(base + "/data/trich-dan/ngay-khong-giay-hen.json"), lambda text: "đã sửa" in text, timeout=60)
        assert json.loads(cited)[0]["title"] == "Ngày không giấy hẹn đã sửa"
        assert _fetch(base + kept) == unchanged  # left as served, still there
        assert "đã sửa" in _fetch(base + "/data/entries.json")

        removed.unlink()
        _wait_for(lambda: _status(base + "/mo-hinh/duong-lang-sach-dong-da/"), lambda code: code == 404, timeout=60)
        assert _status(base + gone) == 404  # a file no rebuild makes any more is not served
        assert _fetch(base + kept) == unchanged

        edited.write_text(good.replace("field: ", 'field: "khong co"\nold_field: ', 1), encoding="utf-8")
        _wait_for(lambda: _fetch(base + "/"), lambda html: "dvk-loi-noi-dung" in html, timeout=60)
        assert _fetch(base + kept) == unchanged  # the last good files, with content errors too
        assert "đã sửa" in _fetch(base + "/data/trich-dan/ngay-khong-giay-hen.json")

        edited.write_text(good, encoding="utf-8")
        _wait_for(lambda: _fetch(base + "/"), lambda html: "dvk-loi-noi-dung" not in html, timeout=60)
        restored = _wait_for(lambda: _fetch(base + "/data/trich-dan/ngay-khong-giay-hen.json"), lambda text: "đã sửa" not in text, timeout=60)
        assert json.loads(restored)[0]["title"] == "Ngày không giấy hẹn"
        assert _fetch(base + kept) == unchanged
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_files_left_as_served_are_written_when_no_kept_tree_takes_the_rebuild(tmp_path):
    """The unit under the preview: unchanged files skip mkdocs while a kept tree holds them,
    and are written after all (never outside the site) when none does."""
    from types import SimpleNamespace

    import pytest
    from mkdocs.structure.files import Files

    from generator.mkdocs_served import ServedFilesMixin
    from generator.render.spec import FileSpec

    config = SimpleNamespace(site_dir=str(tmp_path / "site"), use_directory_urls=True, plugins=SimpleNamespace(_current_plugin="dvk"))
    plugin = ServedFilesMixin()
    plugin.serving, plugin.kept_tree = True, object()
    first = [FileSpec("data/a.json", b"[1]"), FileSpec("data/b.json", b"[2]")]
    plugin._add_made_files(Files([]), config, first)
    assert plugin.left_files == []  # nothing served yet
    plugin._remember_served(True)
    files = Files([])
    plugin._add_made_files(files, config, [FileSpec("data/a.json", b"[1]"), FileSpec("data/b.json", b"[3]")])
    assert [spec.path for spec in plugin.left_files] == ["data/a.json"]
    assert [file.src_uri for file in files] == ["data/b.json"]  # only the changed one goes through mkdocs
    plugin._place_left_files(tmp_path / "site")
    assert (tmp_path / "site/data/a.json").read_bytes() == b"[1]"
    plugin.left_files = [FileSpec("../outside.json", b"x")]
    with pytest.raises(ValueError):
        plugin._place_left_files(tmp_path / "site")
    assert not (tmp_path / "outside.json").exists()
