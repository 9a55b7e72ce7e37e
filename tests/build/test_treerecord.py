"""The record of a published tree's folders (build/treerecord.py): an update that trusts it
for unchanged folders ends exactly where one that lists every folder does."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from generator.build.kept import TreeUpdate
from generator.build.treerecord import RACY_NS, TreeRecorder, load_tree_record
from generator.build.walk import walk_files

from test_kept import tree, write


def record(root: Path, cache: Path) -> None:
    recorder = TreeRecorder()
    for _ in walk_files(root, recorder.add):
        pass
    recorder.save(cache, root)


def published(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """A site as a build leaves it: pages linked to their blobs, copies beside them."""
    blobs = tmp_path / "blobs"
    write(blobs, {name: f"trang {name}" for name in ("a", "b", "c", "d", "b2")})
    site = tmp_path / "site"
    placed = {f"{name}/index.html": blobs / name for name in ("a", "b", "c", "d")}
    for name, blob in placed.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(blob, site / name)
        write(site, {f"{name}.br": "nén", f"{name}.gz": "nén"})
    write(site, {"index.html": "trang chủ", "assets/style.css": "body{}"})
    return site, placed


def test_an_update_trusting_the_record_ends_as_one_that_lists_every_folder(tmp_path):
    site, placed = published(tmp_path)
    time.sleep(RACY_NS / 1e9 + 0.05)  # the folders were made before the walk: all recorded
    cache = tmp_path / "cache"
    record(site, cache)
    # edited by hand after it was published (each sets its folder's change time)
    write(site, {"a/stray.txt": "không do bản dựng làm ra"})
    os.replace(site / "a" / "index.html.gz", site / "a" / "index.html.br")
    other = tmp_path / "other.html"
    other.write_text("sửa tay", encoding="utf-8")
    os.replace(other, site / "b" / "index.html")
    (site / "c" / "index.html.br").unlink()
    placed["b/index.html"] = tmp_path / "blobs" / "b2"  # and this build changed page b
    without = tmp_path / "without"
    shutil.copytree(site, without, copy_function=os.link)
    fresh = tmp_path / "fresh"
    write(fresh, {"index.html": "trang chủ mới"})
    shutil.copytree(fresh, tmp_path / "fresh2")

    found = load_tree_record(cache, site)
    assert found is not None
    stats = TreeUpdate(site, tmp_path / "trash", record=found).run(fresh, dict(placed))
    TreeUpdate(without, tmp_path / "trash2").run(tmp_path / "fresh2", dict(placed))

    assert tree(site) == tree(without)
    assert "a/stray.txt" not in tree(site) and tree(site)["b/index.html"] == "trang b2"
    assert tree(site)["d/index.html.br"] == "nén"
    assert stats.recorded == found.used == 1  # d/ only: a/, b/ and c/ were changed by hand


def test_a_folder_changed_just_before_the_walk_is_not_recorded(tmp_path):
    """A change within the same tick of the file system's clock could leave the same
    change time: such a folder is listed by the next update, never taken as recorded."""
    site, _ = published(tmp_path)
    time.sleep(RACY_NS / 1e9 + 0.05)
    write(site, {"d/new.txt": "vừa thêm"})
    cache = tmp_path / "cache"
    record(site, cache)
    found = load_tree_record(cache, site)
    assert "d/" not in found.folders and "a/" in found.folders
    assert found.entries(str(site / "d"), "d/") is None


def test_a_record_belongs_to_one_tree(tmp_path):
    site, _ = published(tmp_path)
    cache = tmp_path / "cache"
    record(site, cache)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, copy_function=os.link)
    assert load_tree_record(cache, copy) is None
    (cache / "trees").joinpath(os.listdir(cache / "trees")[0]).write_bytes(b"not a pickle")
    assert load_tree_record(cache, site) is None
