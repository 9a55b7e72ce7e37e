"""Proof that an incremental build equals a clean one (issue 9, item 5).

One project is built, then changed in every way an editor or a site owner changes it;
after each change it is rebuilt with the same cache and compared byte for byte with a
clean build (fresh cache, fresh process) of the same files, search index included.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.render import NAV
from generator.search import BUNDLE
from sitehelpers import REPO, SITE_MINI, make_project, wait_for_spare_maker

NAV_PAGES = len(NAV)  # always rendered: mkdocs builds the navigation from them

ENTRY = "content/models/tay-ho/ngay-khong-giay-hen.md"


def build(project: Path, cache: Path) -> subprocess.CompletedProcess:
    # DVK_POOL_MIN=2: validation, page writing and precompression take their forked paths,
    # as they do on a site of thousands of entries
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(cache), DVK_POOL_MIN="2")
    env.pop("SOURCE_DATE_EPOCH", None)  # the content's newest date is the build date here (date_event_newest)
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def counts(done: subprocess.CompletedProcess) -> tuple[int, int]:
    """(pages rendered, pages reused) from the line `dvk build` prints."""
    found = re.search(r"(\d+) trang dựng mới, (\d+) trang dùng lại", done.stdout)
    assert found, done.stdout
    return int(found.group(1)), int(found.group(2))


def tree_differences(a: Path, b: Path) -> list[str]:
    """Relative paths (folders end in "/") that exist in one tree only or differ in bytes;
    an incremental build updates the site replaced by the last one (build/kept.py), so a
    folder left empty there would show here."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() + ("/" if p.is_dir() else "") for p in root.rglob("*")}

    left, right = files(a), files(b)
    different = sorted(left ^ right)
    different += [name for name in sorted(left & right) if not name.endswith("/") and not filecmp.cmp(a / name, b / name, shallow=False)]
    return different


def assert_same_as_clean(project: Path, tmp_path: Path, label: str) -> None:
    clean = tmp_path / f"clean-{label}"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", ".site.*", ".cache"))
    fresh = tmp_path / "clean-cache"
    shutil.rmtree(fresh / "dvk", ignore_errors=True)  # no output or validation cache; encoded images
    build(clean, fresh)  # (content-addressed, tested in tests/imaging) are shared to save time
    different = tree_differences(project / "site", clean / "site")
    # a .gz/.br copy that decodes to the same bytes is another encoding, not a stale copy
    encoded = [name for name in different if name.endswith((".gz", ".br")) and all((root / name).is_file() for root in (project / "site", clean / "site")) and _unpacked(project / "site" / name) == _unpacked(clean / "site" / name)]
    assert different == [], f"{label}; same content, other bytes: {encoded}"
    wait_for_spare_maker(clean / "site", made=True)  # its copy (cp -al) would race the removal
    shutil.rmtree(clean)
    assert (project / "site" / BUNDLE / "index.json").is_file()


def assert_compressed_cache_holds_this_site(project: Path, cache: Path, monkeypatch) -> None:
    """The compressed copies' cache keeps one site's: once the build's cache writer is
    done (it prunes after the site is published), every entry is the copy of a file of
    the site now published."""
    import hashlib
    import time

    from generator.build import project_cache_dir
    from generator.buildlock import lock_is_free, lock_path

    deadline = time.monotonic() + 60
    while not lock_is_free(lock_path(project)) and time.monotonic() < deadline:
        time.sleep(0.05)
    with monkeypatch.context() as patched:
        patched.setenv("DVK_CACHE_DIR", str(cache))
        folder = project_cache_dir(project) / "compressed"
    site = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (project / "site").rglob("*") if p.is_file() and p.suffix not in (".br", ".gz")}
    entries = [p.name for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert entries and [name for name in entries if name.split(".")[0] not in site] == []


def _unpacked(copy: Path) -> bytes:
    import gzip

    import brotli

    return gzip.decompress(copy.read_bytes()) if copy.suffix == ".gz" else brotli.decompress(copy.read_bytes())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_story(p: Path) -> None:
    edit(p / ENTRY, "**không phải chờ đợi**.", "**không phải chờ đợi**, kể cả ngày thứ bảy.")


def change_title(p: Path) -> None:
    edit(p / ENTRY, 'title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn (làm cả thứ bảy)"')


def add_entry(p: Path) -> None:
    text = (p / ENTRY).read_text(encoding="utf-8").replace('title: "Ngày không giấy hẹn"', 'title: "Một cửa thân thiện Nhật Tân"')
    (p / "content/models/tay-ho/mot-cua-nhat-tan.md").write_text(text, encoding="utf-8")


def delete_entry(p: Path) -> None:
    (p / "content/models/hoang-mai/to-hoa-giai-dinh-cong.md").unlink()


def rename_entry(p: Path) -> None:
    (p / "content/models/tay-ho/mot-cua-nhat-tan.md").rename(p / "content/models/tay-ho/mot-cua-than-thien-nhat-tan.md")


def change_places(p: Path) -> None:
    edit(p / "content/places.yml", "name: Thụy Khuê", "name: Thuỵ Khuê")


def change_template(p: Path) -> None:
    edit(p / "theme/main.html", '<meta name="twitter:card" content="summary">', '<meta name="twitter:card" content="summary">\n  <meta name="dvk-test" content="mẫu mới">')


def change_config(p: Path) -> None:
    edit(p / "mkdocs.yml", "per_page: 48", "per_page: 2")
    edit(p / "mkdocs.yml", "# site_url: https://example.gov.vn/dan-van-kheo/", "site_url: https://example.gov.vn/dan-van-kheo/")


def replace_image(p: Path) -> None:
    from PIL import Image

    image = p / "content/models/tay-ho/anh/giay-khen.png"
    Image.new("RGB", (640, 480), (180, 30, 40)).save(image)


def change_stylesheet_in_place(p: Path) -> None:
    """A static file edited in place to the same size and dated back: mkdocs' own copy
    rule (newer than the copy) would miss it; a static file is placed from the cache by
    its source's stamp (mkdocs_static.py), which the change time gives away."""
    sheet = p / "theme/assets/dvk/dvk.css"
    before = sheet.stat()
    text = sheet.read_bytes()
    changed = text.replace(b"0", b"1", 1)
    assert len(changed) == len(text) and changed != text
    with open(sheet, "r+b") as stream:  # in place: same inode
        stream.write(changed)
    os.utime(sheet, ns=(before.st_atime_ns, before.st_mtime_ns))


def change_story_in_place_dated_back(p: Path) -> None:
    """An entry rewritten in place to the same size with its old time (a copy that keeps
    times): its stamp must still tell it changed, for the validator and the no-change check."""
    entry = p / ENTRY
    before = entry.stat()
    text = entry.read_bytes()
    changed = text.replace("chờ đợi".encode(), "chờ đời".encode(), 1)
    assert len(changed) == len(text) and changed != text
    with open(entry, "r+b") as stream:
        stream.write(changed)
    os.utime(entry, ns=(before.st_atime_ns, before.st_mtime_ns))


def add_docs_file(p: Path) -> None:
    (p / "docs" / "tai-lieu").mkdir(parents=True, exist_ok=True)
    (p / "docs" / "tai-lieu" / "huong-dan.txt").write_text("Hướng dẫn gửi mô hình.\n", encoding="utf-8")


def date_event_newest(p: Path) -> None:
    """The newest content date is the footer's "Cập nhật lần cuối" on every page
    (builddate.py): an event dated after everything else changes every page."""
    edit(p / "content/events/hoi-thi-mau-2024.md", "date: 2024-07-31", "date: 2025-06-15")


def add_docs_page_named_bare_in_nav(p: Path) -> None:
    (p / "docs" / "gioi-thieu.md").write_text("# Giới thiệu\n\nVề phong trào.\n", encoding="utf-8")
    with open(p / "mkdocs.yml", "a", encoding="utf-8") as stream:
        stream.write("\nnav:\n  - Trang chủ: index.md\n  - gioi-thieu.md\n")


def retitle_docs_page_in_nav(p: Path) -> None:
    """A nav entry without a title shows the page's own: every page's menu changes."""
    edit(p / "docs" / "gioi-thieu.md", "# Giới thiệu", "# Về phong trào")


def turn_precompression_off(p: Path) -> None:
    edit(p / "mkdocs.yml", "      search: true", "      search: true\n      precompress: false")


def edit_stylesheet_and_story(p: Path) -> None:
    """After precompression is off, the kept tree's old .br/.gz copies must go: a server
    honouring them would send the stylesheet as it was."""
    with open(p / "theme/assets/dvk/dvk.css", "a", encoding="utf-8") as stream:
        stream.write("\n/* sửa */\n")
    with open(p / ENTRY, "a", encoding="utf-8") as stream:
        stream.write("\nĐoạn thêm sau khi tắt nén sẵn.\n")


def add_page_hook(p: Path) -> None:
    """A mkdocs hook that writes into every page (mkdocs.yml `hooks:`)."""
    (p / "hook.py").write_text("def on_post_page(output, page, config):\n    return output.replace('</body>', '<!-- móc A --></body>')\n", encoding="utf-8")
    with open(p / "mkdocs.yml", "a", encoding="utf-8") as stream:
        stream.write("\nhooks:\n  - hook.py\n")


def edit_page_hook(p: Path) -> None:
    edit(p / "hook.py", "móc A", "móc B")


CHANGES = [change_story, change_title, add_entry, delete_entry, rename_entry, change_places, change_template, change_config, replace_image, change_stylesheet_in_place, add_docs_file, change_story_in_place_dated_back, date_event_newest, add_docs_page_named_bare_in_nav, retitle_docs_page_in_nav, add_page_hook, edit_page_hook, turn_precompression_off, edit_stylesheet_and_story]


def test_every_kind_of_change_rebuilds_incrementally_to_the_clean_site(tmp_path, monkeypatch):
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    cache = tmp_path / "cache"
    rendered, reused = counts(build(project, cache))
    assert reused == 0 and rendered > 20
    unchanged = build(project, cache)
    assert "Không có gì thay đổi" in unchanged.stdout, "nothing changed: the last site is kept as it is"
    (project / "site" / "index.html").unlink()
    shutil.rmtree(project / "site" / "quan-huyen")
    rendered, reused = counts(build(project, cache))  # a damaged site is rebuilt, from the cache
    assert reused > 20 and rendered <= NAV_PAGES, "only the nav pages are rendered; the rest come from the cache"
    for change in CHANGES:
        change(project)
        done = build(project, cache)
        assert_same_as_clean(project, tmp_path, change.__name__)
        if "precompress: false" not in (project / "mkdocs.yml").read_text(encoding="utf-8"):
            assert_compressed_cache_holds_this_site(project, cache, monkeypatch)
        if change is change_story:
            rendered, reused = counts(done)
            assert rendered <= NAV_PAGES + 1 and reused > 0, "a story edit renders its own page (plus the nav pages), nothing else"


def test_a_content_error_keeps_site_and_cache_usable(tmp_path):
    """A failed build leaves site/ as it was and the next good build still reuses pages."""
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    cache = tmp_path / "cache"
    build(project, cache)
    before = (project / "site" / "index.html").read_bytes()
    good = (project / ENTRY).read_text(encoding="utf-8")
    (project / ENTRY).write_text(good.replace("field: xay-dung-he-thong-chinh-tri\n", "field: khong-co\n"), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", DVK_CACHE_DIR=str(cache))
    failed = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, env=env)
    assert failed.returncode == 1 and "field" in failed.stderr and "Traceback" not in failed.stderr
    assert (project / "site" / "index.html").read_bytes() == before
    (project / ENTRY).write_text(good, encoding="utf-8")
    rendered, reused = counts(build(project, cache))
    assert reused > 0 and rendered <= NAV_PAGES


def test_the_first_edit_after_a_cold_build_updates_a_linked_copy_and_never_writes_through_it(tmp_path):
    """With no kept tree yet, the cold build leaves a copy of the site it published, made
    with hard links (cp -al) in a process of its own, and the next build updates that copy:
    the site it replaced, whose files the copy shared, keeps every byte it was published
    with, and the new site is the clean build's."""
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    build(project, tmp_path / "cache")
    wait_for_spare_maker(project / "site", made=True)  # (its shell may not have noted itself yet)
    assert os.path.samefile(project / ".site.spare/index.html", project / "site/index.html"), "a linked copy"
    published = tmp_path / "published"
    shutil.copytree(project / "site", published)  # real copies: what readers had
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace('title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn (sửa)"'), encoding="utf-8")
    build(project, tmp_path / "cache")
    replaced = project / ".site.spare"
    assert tree_differences(replaced, published) == []
    assert not filecmp.cmp(project / "site/mo-hinh/ngay-khong-giay-hen/index.html", published / "mo-hinh/ngay-khong-giay-hen/index.html", shallow=False)
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", ".site.*", ".cache"))
    build(clean, tmp_path / "clean-cache")
    assert tree_differences(project / "site", clean / "site") == []
