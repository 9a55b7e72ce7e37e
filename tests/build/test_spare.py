"""The tree a build updates after a first build (build/spare.py): a copy made beside it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from generator.build.spare import keep_tree_for, maker_note, spare_path, start_spare_maker


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def files_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def wait_for(pid: int) -> None:
    """Wait for a maker this test process started (its child here; a build's maker
    outlives the build and is reaped by the system)."""
    os.waitpid(pid, 0)


def test_a_first_build_leaves_a_copy_that_the_next_build_updates(tmp_path):
    """After a swap that replaced nothing, the published site is copied with hard links
    in a process of its own; the next build takes that copy, and the site is untouched."""
    site = tmp_path / "site"
    write(site, {"index.html": "trang chủ", "mo-hinh/a/index.html": "mô hình A", "data/entries.json": "[]", ".nojekyll": ""})
    site.chmod(0o750)
    pid = start_spare_maker(site)
    assert pid is not None
    wait_for(pid)
    assert files_of(spare_path(site)) == files_of(site) and (spare_path(site) / ".nojekyll").is_file()
    assert spare_path(site).stat().st_mode == site.stat().st_mode, "the copy is published as the site was"
    assert os.path.samefile(spare_path(site) / "index.html", site / "index.html"), "links, not copies"
    assert not maker_note(site).exists()
    assert start_spare_maker(site) is None, "a spare is there: nothing to make"

    kept = keep_tree_for(site)
    assert kept is not None and kept.ready() == kept.path and files_of(kept.path) == files_of(site)
    assert not spare_path(site).exists()


def test_a_build_adopts_a_copy_still_being_made(tmp_path):
    """The next build may start while the copy is made: it waits for that copy (beside its
    own first stages) instead of starting another."""
    site = tmp_path / "site"
    write(site, {"index.html": "trang chủ", "mo-hinh/a/index.html": "mô hình A"})
    # a maker that is slow to finish: its folder is there, the spare appears later
    script = 'making="$1/.site.kept-$$"; cp -al -- "$1/site" "$making"; sleep 0.4; mv -T -- "$making" "$1/.site.spare"'
    slow = subprocess.Popen(["sh", "-c", script, "x", str(tmp_path)])
    for _ in range(200):
        if (tmp_path / f".site.kept-{slow.pid}").is_dir():
            break
        time.sleep(0.01)
    maker_note(site).write_text(str(slow.pid), encoding="utf-8")

    kept = keep_tree_for(site)
    assert kept is not None and kept.source == tmp_path / f".site.kept-{slow.pid}"
    ready = kept.ready()
    slow.wait()
    assert ready == kept.path and ready.name == f".site.kept-{os.getpid()}"
    assert files_of(ready) == files_of(site) and not spare_path(site).exists()


def test_without_a_copy_or_a_maker_the_build_copies_the_site_itself(tmp_path):
    site = tmp_path / "site"
    write(site, {"index.html": "trang chủ"})
    maker_note(site).write_text("999999999", encoding="utf-8")  # a maker long gone
    kept = keep_tree_for(site)
    assert kept is not None and files_of(kept.ready()) == files_of(site)
    assert not maker_note(site).exists()


def test_the_maker_splits_a_large_folder_between_copies_and_links_every_file(tmp_path, monkeypatch):
    """The entry pages' folder is most of a site: the maker links its children in chunks
    (here two at a time) so that its `cp` runs share it; the copy is the site, linked,
    with the folders' modes, loose top-level files and an empty folder included."""
    from generator.build import sparecopy

    monkeypatch.setattr(sparecopy, "CHUNK", 2)
    site = tmp_path / "site"
    write(site, {f"mo-hinh/m{i}/index.html": f"mô hình {i}" for i in range(7)} | {"index.html": "trang chủ", "404.html": "không thấy", "du-lieu/entries.json": "[]"})
    (site / "trong").mkdir()
    (site / "du-lieu").chmod(0o751)
    jobs = sparecopy.copy_jobs(str(site), str(tmp_path / "probe"))
    assert sorted(len(sources) for _, sources in jobs) == [1, 1, 2, 2, 2, 2], "7 pages in chunks of two, the data file, the two loose pages"
    made = sparecopy.make_spare(str(tmp_path), "site", str(spare_path(site)), str(maker_note(site)), 2)
    assert made and files_of(spare_path(site)) == files_of(site)
    assert (spare_path(site) / "trong").is_dir() and (spare_path(site) / "du-lieu").stat().st_mode == (site / "du-lieu").stat().st_mode
    assert os.path.samefile(spare_path(site) / "mo-hinh/m6/index.html", site / "mo-hinh/m6/index.html")
    assert not maker_note(site).exists() and not (tmp_path / f".site.kept-{os.getpid()}").exists()
    again = sparecopy.make_spare(str(tmp_path), "site", str(spare_path(site)), str(maker_note(site)), 2)
    assert not again and not (tmp_path / f".site.kept-{os.getpid()}").exists(), "a spare there already is kept; the new copy goes"
