"""The kept tree (build/kept.py): the last replaced site, updated into exactly this build's site."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.kept import TreeUpdate, trash_for
from generator.build.spare import spare_path, take_spare


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def tree(root: Path) -> dict[str, str]:
    """Every file under root with its text, and every folder (ending in "/")."""
    found = {}
    for folder, folders, files in os.walk(root):
        base = Path(folder).relative_to(root).as_posix()
        for name in folders:
            found[f"{name}/" if base == "." else f"{base}/{name}/"] = ""
        for name in files:
            found[name if base == "." else f"{base}/{name}"] = (Path(folder) / name).read_text(encoding="utf-8")
    return found


def test_the_kept_tree_ends_as_exactly_the_new_site(tmp_path):
    blobs = tmp_path / "blobs"
    write(blobs, {"same": "trang A", "changed": "trang B mới", "new": "trang C"})
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    write(kept, {
        "index.html": "trang chủ cũ",
        "a/index.html.br": "bản nén của A", "a/index.html.gz": "bản nén của A",
        "b/index.html": "trang B cũ", "b/index.html.br": "bản nén cũ của B",
        "gone/index.html": "trang đã xoá", "gone/index.html.br": "nén",
        "data/old.json": "{}", "stale.txt": "cũ", "was-a-file": "tệp",
        "was-a-folder/x.txt": "x",
    })
    os.makedirs(kept / "a", exist_ok=True)
    os.link(blobs / "same", kept / "a" / "index.html")  # still its blob: stays
    write(fresh, {
        "index.html": "trang chủ mới", "data/new.json": "[]", "sitemap.xml": "<urlset/>",
        "was-a-file/index.html": "thư mục mới", "was-a-folder": "giờ là tệp",
        "b/extra.txt": "tệp mới trong thư mục có trang lấy từ bộ nhớ đệm",
    })
    placed = {"a/index.html": blobs / "same", "b/index.html": blobs / "changed", "c/d/index.html": blobs / "new"}
    inode = (kept / "a" / "index.html").stat().st_ino

    stats = TreeUpdate(kept, tmp_path / "trash").run(fresh, placed)

    assert tree(kept) == {
        "index.html": "trang chủ mới", "sitemap.xml": "<urlset/>",
        "a/": "", "a/index.html": "trang A", "a/index.html.br": "bản nén của A", "a/index.html.gz": "bản nén của A",
        "b/": "", "b/index.html": "trang B mới", "b/index.html.br": "bản nén cũ của B",  # precompress checks copies
        "b/extra.txt": "tệp mới trong thư mục có trang lấy từ bộ nhớ đệm",
        "c/": "", "c/d/": "", "c/d/index.html": "trang C",
        "data/": "", "data/new.json": "[]",
        "was-a-file/": "", "was-a-file/index.html": "thư mục mới", "was-a-folder": "giờ là tệp",
    }
    assert (kept / "a" / "index.html").stat().st_ino == inode and stats.kept == 1
    for name in ("b/index.html", "c/d/index.html"):  # linked, not copied: the blob's bytes
        assert os.path.samefile(kept / name, placed[name])
    assert (blobs / "changed").read_text(encoding="utf-8") == "trang B mới", "a blob is never written through"


def test_a_folder_the_kept_tree_lacks_keeps_its_new_pages_beside_its_cached_ones(tmp_path):
    """A district folder made one build after the kept tree (which is two builds old):
    one of its pages is written anew, another comes from the cache. Both must be there."""
    from generator.compressed import is_text_asset

    blobs = tmp_path / "blobs"
    write(blobs, {"cached": "trang lấy từ bộ nhớ đệm"})
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    write(kept, {"index.html": "trang chủ", "phuong-moi": "tệp cũ trùng tên"})
    write(fresh, {"quan-moi/trang-2/index.html": "trang dựng mới", "phuong-moi/index.html": "trang mới của phường", "sitemap.xml.gz": "nén"})
    placed = {"quan-moi/index.html": blobs / "cached", "phuong-moi/a/index.html": blobs / "cached"}

    update = TreeUpdate(kept, tmp_path / "trash", is_text_asset)
    update.run(fresh, placed)

    assert tree(kept) == {
        "quan-moi/": "", "quan-moi/index.html": "trang lấy từ bộ nhớ đệm",
        "quan-moi/trang-2/": "", "quan-moi/trang-2/index.html": "trang dựng mới",
        "phuong-moi/": "", "phuong-moi/index.html": "trang mới của phường",
        "phuong-moi/a/": "", "phuong-moi/a/index.html": "trang lấy từ bộ nhớ đệm",
        "sitemap.xml.gz": "nén",
    }
    listing = update.listing  # what precompress reads instead of walking the tree again
    assert listing.files == {
        "quan-moi/index.html": len("trang lấy từ bộ nhớ đệm".encode()), "phuong-moi/a/index.html": len("trang lấy từ bộ nhớ đệm".encode()),
        "quan-moi/trang-2/index.html": len("trang dựng mới".encode()), "phuong-moi/index.html": len("trang mới của phường".encode()),
    }
    assert listing.copies == {"sitemap.xml.gz": None} and listing.placed == {"quan-moi/index.html", "phuong-moi/a/index.html"}


def test_the_background_runs_folders_wait_for_it_and_then_replace_the_old_ones(tmp_path):
    """The pages are merged while the background run still makes the search bundle and
    the citation files: the kept tree keeps its old ones until the run is done (the run
    links unchanged files from them), then they are replaced whole; the run's other files
    (data files beside the pages' own, feeds) replace their namesakes, whose old copies
    precompress checks. The end is the new site and nothing else."""
    from generator.compressed import is_text_asset

    kept, fresh, run = tmp_path / "kept", tmp_path / "fresh", tmp_path / "run"
    write(kept, {
        "index.html": "trang chủ cũ", "chi-muc/w/cu.json": "cũ", "chi-muc/index.json": "cũ",
        "data/trich-dan/a.json": "a", "data/trich-dan/xoa.json": "mục đã xoá",
        "data/entries.json": "cũ", "data/entries.json.br": "nén cũ", "data/thong-ke/bang.csv": "cũ",
        "quan/feed.xml": "cũ", "quan/feed.xml.gz": "nén cũ",
    })
    write(fresh, {"index.html": "trang chủ mới", "data/thong-ke/bang.csv": "mới", "quan/index.html": "trang quận"})
    later = frozenset({"chi-muc", "data/trich-dan"})
    update = TreeUpdate(kept, tmp_path / "trash", is_text_asset)

    update.run(fresh, {}, later)

    assert (kept / "data/trich-dan/xoa.json").exists() and (kept / "chi-muc/w/cu.json").exists(), "left for the run"
    assert not (kept / "data/entries.json").exists() and not (kept / "quan/feed.xml").exists()
    assert "data/trich-dan/a.json" not in update.listing.files and "index.html" in update.listing.files

    write(run, {"chi-muc/w/moi.json": "mới", "chi-muc/index.json": "mới", "data/trich-dan/a.json": "a",
                "data/entries.json": "mới", "quan/feed.xml": "mới"})
    write(kept, {"quan/feed.xml": "một tệp của lần dựng trước", "quan/feed.xml.gz": "nén cũ"})  # (as if merged from the host)
    moved = update.move_in(run, later)

    assert tree(kept) == {
        "index.html": "trang chủ mới", "quan/": "", "quan/index.html": "trang quận",
        "quan/feed.xml": "mới", "quan/feed.xml.gz": "nén cũ",  # checked by precompress
        "chi-muc/": "", "chi-muc/w/": "", "chi-muc/w/moi.json": "mới", "chi-muc/index.json": "mới",
        "data/": "", "data/trich-dan/": "", "data/trich-dan/a.json": "a",
        "data/entries.json": "mới", "data/thong-ke/": "", "data/thong-ke/bang.csv": "mới",
    }
    assert set(moved.files) == {"chi-muc/w/moi.json", "chi-muc/index.json", "data/trich-dan/a.json", "data/entries.json", "quan/feed.xml"}
    assert set(moved.copies) == {"quan/feed.xml.gz"} and not moved.placed

    site = tmp_path / "site"
    site.mkdir()
    update.put_in_place(site)
    assert tree(site)["index.html"] == "trang chủ mới" and not kept.exists()


def test_a_folder_the_background_run_no_longer_makes_is_removed(tmp_path):
    """The last entry deleted: the run writes no citation file, so the folder of them
    goes as it would from a clean build, instead of staying from the kept tree."""
    kept, fresh, run = tmp_path / "kept", tmp_path / "fresh", tmp_path / "run"
    write(kept, {"index.html": "cũ", "data/trich-dan/cuoi-cung.json": "{}", "chi-muc/index.json": "cũ"})
    write(fresh, {"index.html": "mới"})
    write(run, {"chi-muc/index.json": "mới", "data/entries.json": "[]"})
    later = frozenset({"chi-muc", "data/trich-dan"})
    update = TreeUpdate(kept, tmp_path / "trash")
    update.run(fresh, {}, later)
    update.move_in(run, later)
    assert tree(kept) == {"index.html": "mới", "chi-muc/": "", "chi-muc/index.json": "mới", "data/": "", "data/entries.json": "[]"}


def test_a_build_puts_the_kept_tree_in_place_and_the_swap_keeps_the_old_site(tmp_path):
    from generator.sitecli import swap_into_place

    target = tmp_path / "site"
    write(target, {"index.html": "bản 1"})
    write(tmp_path / "new", {"index.html": "bản 2"})
    swap_into_place(tmp_path / "new", target, spare=spare_path(target))
    assert (target / "index.html").read_text(encoding="utf-8") == "bản 2"
    assert (spare_path(target) / "index.html").read_text(encoding="utf-8") == "bản 1"

    kept = take_spare(target)  # the next build's own name for it
    assert kept is not None and not spare_path(target).exists() and kept.name.startswith(".site.kept-")
    staging = tmp_path / f".site.tmp-{os.getpid()}"
    write(staging, {"index.html": "bản 3", "moi/index.html": "trang mới"})
    update = TreeUpdate(kept, trash_for(staging))
    update.run(staging, {})
    update.put_in_place(staging)
    assert tree(staging) == {"index.html": "bản 3", "moi/": "", "moi/index.html": "trang mới"}
    assert not kept.exists()
    assert take_spare(target) is None  # none left: the next build writes a new folder


def test_background_files_equal_to_the_kept_trees_are_linked_not_written(tmp_path):
    """After one edit the 10,000 citation files are the same bytes as in the kept tree:
    each is linked from there; a changed, longer or missing file is written anew."""
    import pytest

    from generator.build.cache import write_inside

    kept, out = tmp_path / "kept", tmp_path / "out"
    write(kept, {"data/a.json": "[1]", "data/b.json": "[2]", "data/c.json": "[3, 4]"})
    for name, data in (("data/a.json", b"[1]"), ("data/b.json", b"[2, 5]"), ("data/c.json", b"[3"), ("data/d.json", b"[4]")):
        write_inside(out, name, data, same_in=kept)
    assert os.path.samefile(out / "data/a.json", kept / "data/a.json")
    for name in ("data/b.json", "data/c.json", "data/d.json"):
        assert not (kept / name).exists() or not os.path.samefile(out / name, kept / name), name
    assert tree(out) == {"data/": "", "data/a.json": "[1]", "data/b.json": "[2, 5]", "data/c.json": "[3", "data/d.json": "[4]"}
    with pytest.raises(ValueError):
        write_inside(out, "../ra-ngoai.json", b"{}", same_in=kept)

