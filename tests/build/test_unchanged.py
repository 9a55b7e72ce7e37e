"""The whole-build shortcut: a build is skipped only when no input and no published file changed."""

from __future__ import annotations

import os
import shutil

from generator.build.unchanged import input_fingerprint, is_unchanged, remember_build

from build_helpers import make_site_project


def later(path):
    stamp = os.stat(path).st_mtime + 5
    os.utime(path, (stamp, stamp))


def test_any_input_change_changes_the_fingerprint(tmp_path):
    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    first = input_fingerprint(config, {})
    assert first == input_fingerprint(config, {})
    for changed in ("content/places.yml", "theme/main.html", "mkdocs.yml"):
        later(project / changed)
        now = input_fingerprint(config, {})
        assert now != first, changed
        first = now
    (project / "docs" / "gioi-thieu.md").write_text("# Giới thiệu\n", encoding="utf-8")
    assert input_fingerprint(config, {}) != first
    assert input_fingerprint(config, {"strict": True}) != input_fingerprint(config, {"strict": False})


def test_a_touched_or_missing_site_is_not_taken_as_built(tmp_path):
    project = make_site_project(tmp_path)
    site, cache = project / "site", tmp_path / "cache"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>cũ</p>", encoding="utf-8")
    fingerprint = input_fingerprint(project / "mkdocs.yml", {})
    remember_build(cache, fingerprint, site, 1)
    assert is_unchanged(cache, fingerprint, site)
    (site / "a" / "index.html").write_text("<p>sửa tay</p>", encoding="utf-8")
    assert not is_unchanged(cache, fingerprint, site)
    remember_build(cache, fingerprint, site, 1)
    shutil.rmtree(site)
    assert not is_unchanged(cache, fingerprint, site)


def test_a_config_that_inherits_is_never_skipped(tmp_path):
    project = make_site_project(tmp_path)
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    assert input_fingerprint(project / "mkdocs.yml", {}) is None
    assert is_unchanged(tmp_path / "cache", None, project / "site") is None


def test_files_deep_in_the_site_are_stamped_by_path_size_and_time(tmp_path):
    """The stamps name each file by its path under the folder, so a file moved from one
    folder to another, grown, or re-dated is a changed site."""
    from generator.build.unchanged import _stamp_tree

    site = tmp_path / "site"
    for rel in ("index.html", "a/b/c/index.html", "a/b/x.css", "z/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    (site / "link").symlink_to(site / "a", target_is_directory=True)  # not entered
    stamps = _stamp_tree(site)
    assert [name for name, _, _ in stamps] == ["index.html", "a/b/x.css", "a/b/c/index.html", "z/index.html"]
    assert _stamp_tree(site) == stamps
    (site / "a" / "b" / "c" / "index.html").rename(site / "a" / "index.html")
    assert _stamp_tree(site) != stamps


def test_the_answer_before_the_lock_is_reused_only_while_no_build_recorded_another(tmp_path, monkeypatch):
    """`dvk build` asks "is site/ already this build?" before taking the lock and, when
    nothing was recorded since, does not walk content/ again under it."""
    from argparse import Namespace

    from generator import sitecli
    from generator.build import project_cache_dir

    monkeypatch.setenv("DVK_CACHE_DIR", str(tmp_path / "cache"))
    project = make_site_project(tmp_path)
    config, site = project / "mkdocs.yml", project / "site"
    args = Namespace(root=project, site_dir=None, strict=False)
    asked: list = []
    assert not sitecli._report_unchanged(args, config, 0.0, wait_for_record=True, asked=asked)
    answer = sitecli._answer_still_valid(asked, config)
    assert answer is not None and answer[2] is None  # never built: not unchanged
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>mới</p>", encoding="utf-8")
    remember_build(project_cache_dir(project), answer[0], site.resolve(), 1)  # another build finished meanwhile
    assert sitecli._answer_still_valid(asked, config) is None
    assert sitecli._unchanged_site(args, config)[2] is not None  # asked again: that build made this very site


def test_an_input_edited_in_place_and_dated_back_changes_the_fingerprint(tmp_path):
    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    first = input_fingerprint(config, {})
    for changed in ("content/places.yml", "mkdocs.yml"):
        path = project / changed
        before = path.stat()
        text = path.read_bytes()
        with open(path, "r+b") as stream:  # same size, same inode
            stream.write(text.replace(b"a", b"b", 1))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        now = input_fingerprint(config, {})
        assert now != first, changed
        first = now
