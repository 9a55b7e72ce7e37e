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
