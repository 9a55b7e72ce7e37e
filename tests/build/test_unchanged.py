"""The whole-build shortcut: a build is skipped only when no input and no published file changed."""

from __future__ import annotations

import os
import shutil

import pytest

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


def test_an_empty_folder_or_a_link_to_one_is_an_input(tmp_path):
    """The web editor gets one collection per folder of content/models/ (cms/site.py): a
    new empty folder changes admin/config.yml, so the build is not skipped."""
    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    first = input_fingerprint(config, {})
    (project / "content" / "models" / "thu-muc-moi").mkdir(parents=True)
    with_folder = input_fingerprint(config, {})
    assert with_folder != first
    (project / "content" / "models" / "lien-ket").symlink_to(project / "content" / "models" / "thu-muc-moi")
    assert input_fingerprint(config, {}) not in (first, with_folder)


def test_a_variable_that_mkdocs_yml_reads_with_env_is_an_input(tmp_path, monkeypatch):
    """site_url from the deploy's environment: another value is another site."""
    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '\nsite_url: !ENV [DVK_TEST_URL, "https://mac-dinh.example.vn/"]\n', encoding="utf-8")
    monkeypatch.setenv("DVK_TEST_URL", "https://a.example.vn/")
    first = input_fingerprint(config, {})
    monkeypatch.setenv("DVK_TEST_URL", "https://b.example.vn/")
    assert input_fingerprint(config, {}) != first
    monkeypatch.setenv("DVK_TEST_URL", "https://a.example.vn/")
    assert input_fingerprint(config, {}) == first
    monkeypatch.setenv("DVK_TEST_URL", "")
    empty = input_fingerprint(config, {})
    monkeypatch.delenv("DVK_TEST_URL")
    assert input_fingerprint(config, {}) != empty, "unset takes the default, empty does not"
    config.write_text(text + "\nsite_url: !ENV\n  - DVK_TEST_BLOCK\n  - https://mac-dinh.example.vn/\n", encoding="utf-8")
    block = input_fingerprint(config, {})
    monkeypatch.setenv("DVK_TEST_BLOCK", "https://c.example.vn/")
    assert input_fingerprint(config, {}) != block, "the block form of the list too"
    config.write_text(text + "\nsite_url: !ENV [DVK_TEST_A, DVK_TEST_B, {k: v}]\nrepo_url: !ENV [DVK_TEST_C, !ENV [DVK_TEST_D, d]]\n", encoding="utf-8")
    for name in ("DVK_TEST_B", "DVK_TEST_D"):  # before a mapping default; inside a default
        before = input_fingerprint(config, {})
        monkeypatch.setenv(name, "x")
        assert input_fingerprint(config, {}) != before, name


def test_upgrading_another_plugin_is_an_input(tmp_path, monkeypatch):
    """The page key holds another plugin's package version; so must the no-change check."""
    from importlib import metadata

    from generator.build import unchanged

    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n", 1), encoding="utf-8")
    first = input_fingerprint(config, {})
    real = metadata.entry_points

    class Upgraded:  # the search plugin's entry point as a newer release would give it
        name = "search"
        dist = type("Distribution", (), {"version": "99.0"})

    def upgraded(**kwargs):
        return [Upgraded if point.name == "search" else point for point in real(**kwargs)]

    monkeypatch.setattr(metadata, "entry_points", upgraded)
    assert "plugin search=99.0" in unchanged.read_plugin_versions(config)
    assert input_fingerprint(config, {}) != first


HOOK = "def on_post_page(output, **kwargs):\n    return output\n"


@pytest.mark.parametrize(
    ("files", "setting", "touched"),
    [
        # mkdocs.yml `hooks:` name Python files of the project that may rewrite every page
        ({"hook.py": HOOK}, "hooks:\n  - hook.py\n", "hook.py"),
        # a hook may import a helper from its own folder (mkdocs puts it on the import path)
        ({"hooks/helper.py": "MARK = 'A'\n", "hooks/hook.py": "from helper import MARK\n\n" + HOOK}, "hooks:\n  - hooks/hook.py\n", "hooks/helper.py"),
        # what `watch:` names outside docs/, content/ and the theme (snippets, data a macro reads)
        ({"snippets/chan-trang.md": "1\n"}, "watch:\n  - snippets\n  - content/models\n", "snippets/chan-trang.md"),
    ],
    ids=["hook", "module beside a hook", "watched folder"],
)
def test_files_mkdocs_yml_names_outside_the_folders_are_inputs(tmp_path, files, setting, touched):
    """Editing one of them must not give "nothing changed"."""
    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "\n" + setting, encoding="utf-8")
    first = input_fingerprint(config, {})
    later(project / touched)
    assert input_fingerprint(config, {}) != first


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


def _project_with_lock(tmp_path, monkeypatch):
    """A built-looking project, its mkdocs.yml, the arguments of `dvk build`, its lock
    file and the input fingerprint of its current content."""
    from argparse import Namespace

    from generator import sitecli
    from generator.buildlock import lock_path

    monkeypatch.setenv("DVK_CACHE_DIR", str(tmp_path / "cache"))
    project = make_site_project(tmp_path)
    config = project / "mkdocs.yml"
    args = Namespace(root=project, site_dir=None, strict=False)
    lock = lock_path(project.resolve())
    lock.parent.mkdir(parents=True, exist_ok=True)
    return project, config, args, lock, sitecli._unchanged_site(args, config)[0]


def _hold_as_finishing(lock, record: str | None, writer: int | None = None):
    """A forked stand-in for a build's cache-writing child: holds the lock noted as
    finishing with the record it is about to write (by `writer`, the PID of the child
    walking for it, when given), until told to end (or 20 s)."""
    import select

    from generator.buildlock import hold_build_lock

    go_read, go_write = os.pipe()
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with hold_build_lock(lock, timeout=0) as held:
                held.note_holder(finishing=True, pid=os.getpid(), record=record, writer=writer)
                os.write(ready_write, b"x")
                select.select([go_read], [], [], 20)
        finally:
            os._exit(0)
    os.read(ready_read, 1)

    def release():
        os.write(go_write, b"x")
        os.waitpid(pid, 0)

    return pid, release


def test_an_edit_right_after_a_build_does_not_wait_for_a_record_of_other_inputs(tmp_path, monkeypatch):
    """Right after a build its child still holds the lock, writing the no-change record
    and the caches. A run whose inputs are not the ones that record is of knows at once
    that it must build (an editor's next save); a run with those very inputs waits for
    the record, which may say site/ is already their build."""
    import time

    from generator import sitecli
    from generator.buildlock import holder_is_finishing, pending_record

    project, config, args, lock, ours = _project_with_lock(tmp_path, monkeypatch)

    pid, release = _hold_as_finishing(lock, "0" * 64)  # the record of a build before an edit
    try:
        assert pending_record(lock) == "0" * 64
        started = time.monotonic()
        asked: list = []
        assert not sitecli._report_unchanged(args, config, 0.0, wait_for_record=True, asked=asked)
        assert time.monotonic() - started < 10 and holder_is_finishing(lock), "it waited for the child"
        assert sitecli._answer_still_valid(asked, config) == asked[-1][1]
    finally:
        release()

    pid, release = _hold_as_finishing(lock, ours)  # a record of these very inputs is coming
    outcome = []
    import threading

    asking = threading.Thread(target=lambda: outcome.append(sitecli._report_unchanged(args, config, 0.0, wait_for_record=True)))
    asking.start()
    asking.join(1.0)
    assert asking.is_alive() and not outcome, "it answered before the record it depends on was written"
    site = project / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>mới</p>", encoding="utf-8")
    from generator.build import project_cache_dir

    remember_build(project_cache_dir(project), ours, site.resolve(), 1)  # what the child writes first
    asking.join(20)
    release()
    assert outcome == [True]  # that record says site/ is the build of these inputs


def test_a_no_change_run_does_not_wait_for_a_record_whose_writer_ended_without_it(tmp_path, monkeypatch):
    """The child walking the site for the no-change record ends without one when another
    build replaced the site meanwhile; the cache writer beside it may go on for seconds.
    A run with those very inputs then knows at once that it must build."""
    import subprocess
    import threading
    import time

    from generator import sitecli
    from generator.buildlock import holder_is_finishing, pending_record

    project, config, args, lock, ours = _project_with_lock(tmp_path, monkeypatch)
    walker = subprocess.Popen(["true"])
    walker.wait()  # ended (and reaped) without writing the record
    pid, release = _hold_as_finishing(lock, ours, writer=walker.pid)
    outcome = []
    asking = threading.Thread(target=lambda: outcome.append(sitecli._report_unchanged(args, config, 0.0, wait_for_record=True)))
    try:
        assert pending_record(lock) == ours and holder_is_finishing(lock)
        started = time.monotonic()
        asking.start()
        asking.join(5)
        assert outcome == [False] and time.monotonic() - started < 5, "it waited for the cache writer"
    finally:
        release()
        asking.join(30)


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


def test_no_record_is_written_for_a_site_another_build_replaced_meanwhile(tmp_path):
    """The record is written after the lock is given up: when the folder at site/ is no
    longer the one this build published, the walk saw another build's site."""
    from generator.build.unchanged import RECORD

    project = make_site_project(tmp_path)
    site, cache = project / "site", tmp_path / "cache"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>của bản dựng sau</p>", encoding="utf-8")
    fingerprint = input_fingerprint(project / "mkdocs.yml", {})
    from generator.build.unchanged import site_identity

    ours = (os.stat(site).st_ino, os.stat(site).st_ctime_ns - 1)  # the folder this build published, since replaced
    remember_build(cache, fingerprint, site, 1, published=ours)
    assert not (cache / RECORD).exists() and not (cache / "trees").exists()
    remember_build(cache, fingerprint, site, 1, published=site_identity(site))
    assert is_unchanged(cache, fingerprint, site)


def test_a_build_queued_behind_one_of_the_same_inputs_waits_for_its_record(tmp_path, monkeypatch):
    """Two saves reported for one edit: the second build takes the lock as soon as the first
    one's cache writer is done, while its other child still walks the site for the record.
    That record is of these very inputs: the second build waits for it and has nothing to do."""
    import threading
    import time

    from generator import sitecli
    from generator.build import project_cache_dir
    from generator.buildlock import HeldLock

    project, config, site, args = built_project(tmp_path, monkeypatch)
    done = sitecli._unchanged_site(args, config)
    assert done[2] is None  # no record yet
    writer = os.fork()
    if writer == 0:  # the first build's record writer, still walking
        time.sleep(20)
        os._exit(0)
    try:
        lock = HeldLock(-1, [str(writer), "finishing", done[0], str(writer)])
        later = threading.Timer(0.5, remember_build, (project_cache_dir(project), done[0], site.resolve(), 1))
        later.start()
        answer = sitecli._wait_for_coming_record(lock, done, config)
        later.join()
        assert answer[2] is not None  # site/ is the build of these inputs: nothing to do
        other = HeldLock(-1, [str(writer), "finishing", "0" * 64, str(writer)])
        assert sitecli._wait_for_coming_record(other, done, config) is done  # a record of other inputs: not waited for
    finally:
        os.kill(writer, 9)
        os.waitpid(writer, 0)


def test_a_record_written_while_waiting_for_it_is_taken_without_walking_the_site_again(tmp_path, monkeypatch):
    """A no-change run right after a build waits for the record the build's child writes;
    that child has just walked site/, so the run takes its stamps while the published
    folder is still the one walked, and walks itself otherwise."""
    from generator.build import unchanged

    project = make_site_project(tmp_path)
    site, cache = project / "site", tmp_path / "cache"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>đã dựng</p>", encoding="utf-8")
    fingerprint = input_fingerprint(project / "mkdocs.yml", {})
    remember_build(cache, fingerprint, site, 1, published=unchanged.site_identity(site))
    walks = []
    real = unchanged._site_stamp
    monkeypatch.setattr(unchanged, "_site_stamp", lambda target, stamps=None: walks.append(target) or real(target, stamps))
    assert is_unchanged(cache, fingerprint, site, fresh=True) and walks == []
    assert is_unchanged(cache, fingerprint, site) and len(walks) == 1  # an older record: walked
    (site / "b.html").write_text("<p>thêm tay</p>", encoding="utf-8")  # the folder changed since the walk
    assert not is_unchanged(cache, fingerprint, site, fresh=True) and len(walks) == 2


def test_a_record_already_checked_by_a_walk_is_not_taken_as_fresh(tmp_path, monkeypatch):
    """The record writer may finish while a no-change run asks its question: the run then
    compared that record with a walk of site/ already, and a change that walk saw stands."""
    from generator import sitecli
    from generator.build import project_cache_dir, unchanged

    project, config, site, args = built_project(tmp_path, monkeypatch)
    real = sitecli._unchanged_site

    def ask_while_the_record_lands(*a):
        fingerprint = real(*a)[0]
        remember_build(project_cache_dir(project), fingerprint, site.resolve(), 1, published=unchanged.site_identity(site.resolve()))
        (site / "a" / "index.html").write_text("<p>sửa tay sau khi ghi</p>", encoding="utf-8")  # site/ itself keeps its identity
        return real(*a)

    monkeypatch.setattr(sitecli, "_unchanged_site", ask_while_the_record_lands)
    assert not sitecli._report_unchanged(args, config, 0.0, wait_for_record=True)


def built_project(tmp_path, monkeypatch):
    """(project, mkdocs.yml, site/ with one page, the arguments of `dvk build`), with its own cache."""
    from argparse import Namespace

    monkeypatch.setenv("DVK_CACHE_DIR", str(tmp_path / "cache"))
    project = make_site_project(tmp_path)
    site = project / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>đã dựng</p>", encoding="utf-8")
    return project, project / "mkdocs.yml", site, Namespace(root=project, site_dir=None, strict=False)
