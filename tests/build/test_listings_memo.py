"""The non-entry pages memo (render/listings.py, build.CachedMemo) on the mini fixture.

A story edit must not render any listing again; a title, summary or unit edit only the
groups that show the entry; a change of what groups and counts read (a year, a field, a
contest result) renders them all; a cache that lost a page renders that page's group.
Whatever was taken from the memo, the pages are those a render without it makes.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from generator.build import CachedMemo, OutputCache
from generator.derive import derive_site
from generator.render import ENTRY, SECTION, render_site
from generator.validate import Validator

ENTRY_FILE = "content/models/tay-ho/ngay-khong-giay-hen.md"
DISTRICT = "quan-huyen/tay-ho/index.md"


class Memo:
    """The memo protocol in memory, counting what the render stage asked."""

    def __init__(self):
        self.held, self.recalled, self.kept = {}, 0, 0

    def recall(self, key):
        found = self.held.get(key)
        self.recalled += found is not None
        return found

    def keep(self, key, value):
        self.kept += 1
        self.held = {key: pickle.loads(pickle.dumps(value))}  # as the disk memo gives it back


def render(project: Path, memo, known: dict[str, str]):
    """One render run that can reuse the pages of `known` ({uri: projection}), then
    records this run's projections there (as the output cache does after a build)."""
    content = Validator().run(project)
    assert not content.errors, [p.format() for p in content.errors]
    pages = render_site(derive_site(content.entries, content.places), reuse=lambda uri, key: known.get(uri) == key, salt="ctx", listings_memo=memo).pages
    # as the plugin's reuse: section pages (the navigation's) are rendered every build
    known.update({page.uri: page.projection for page in pages if page.role != SECTION})
    return {page.uri: page for page in pages}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_story_edit_takes_every_listing_from_the_memo(project):
    memo, known = Memo(), {}
    first = render(project, memo, known)
    assert memo.kept == 1 and memo.recalled == 0
    edit(project / ENTRY_FILE, "**không phải chờ đợi**", "**không phải chờ đợi**, cả thứ bảy")
    second = render(project, memo, known)
    assert memo.recalled == 1 and memo.kept == 1, "no listing was rendered or kept again"
    assert list(second) == list(first), "the same pages in the same order"
    listings = [page for page in second.values() if page.role != ENTRY]
    assert all(page.reused for page in listings if page.role != SECTION)
    assert all(page.content and page.markdown == first[page.uri].markdown for page in listings if page.role == SECTION), "section pages come whole"
    assert not second["mo-hinh/ngay-khong-giay-hen/index.md"].reused, "the edited entry's own page is rendered"
    plain = render_site(derive_site(*_content(project)), reuse=lambda uri, key: False, salt="ctx").pages
    assert {page.uri: page.projection for page in plain} == {uri: page.projection for uri, page in second.items()}


def test_a_title_edit_renders_the_listings_that_show_it(project):
    memo, known = Memo(), {}
    first = render(project, memo, known)
    edit(project / ENTRY_FILE, 'title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn, cả thứ bảy"')
    second = render(project, memo, known)
    assert memo.recalled == 1 and memo.kept == 2, "the groups were found, and kept again with the new ones"
    district = second[DISTRICT]
    assert not district.reused and "cả thứ bảy" in district.markdown, "the district page shows the new title"
    other = "quan-huyen/nam-tu-liem/index.md"
    assert other in first and second[other].reused, "another district's page is not rendered again"
    _assert_as_without_memo(project, second)


EDITS = {
    "summary": (ENTRY_FILE, 'summary: "Một ngày trong tuần', 'summary: "Thứ bảy và một ngày trong tuần'),
    "unit": (ENTRY_FILE, 'unit: "UBND phường Nhật Tân"', 'unit: "UBND và Mặt trận phường Nhật Tân"'),
    "year": (ENTRY_FILE, "\nyear: 2024\nsummary:", "\nyear: 2023\nsummary:"),  # the entry's, not its award's
    "field": (ENTRY_FILE, "field: xay-dung-he-thong-chinh-tri", "field: kinh-te"),
    "level": (ENTRY_FILE, "\nlevel: quan\nyear:", "\nlevel: thanh-pho\nyear:"),  # the entry's, not its award's
    "district": (ENTRY_FILE, "district: tay-ho\nward: nhat-tan", "district: nam-tu-liem"),
    "contest result": ("content/events/hoi-thi-mau-2024.md", "{rank: nhat, recipient: to-dan-van-xuan-phuong}", "{rank: ba, recipient: to-dan-van-xuan-phuong}"),
    "event title": ("content/events/hoi-thi-mau-2024.md", 'title: "Hội thi Dân vận khéo quận Nam Từ Liêm năm 2024"', 'title: "Hội thi Dân vận khéo năm 2024"'),
    "exemplar title": ("content/models/nam-tu-liem/to-dan-van-xuan-phuong.md", 'title: "Tổ Dân vận phường Xuân Phương"', 'title: "Tổ Dân vận Xuân Phương"'),
}


def test_after_any_edit_the_pages_are_those_a_render_without_the_memo_makes(project):
    """Each kind of change, one after the other on the same memo and cache: every page's
    projection is the one a plain render computes, and every page rendered again says
    what a plain render says (a group taken from the memo that should have changed would
    keep its old projection)."""
    memo, known = Memo(), {}
    render(project, memo, known)
    # a second model of Tây Hồ, in 2023: the year edit below then moves an entry between
    # years that stay, so only the groups that count it can tell
    text = (project / ENTRY_FILE).read_text(encoding="utf-8")
    (project / ENTRY_FILE).with_name("ngay-thu-bay.md").write_text(text.replace('title: "Ngày không giấy hẹn"', 'title: "Ngày thứ bảy"').replace("\nyear: 2024\n", "\nyear: 2023\n"), encoding="utf-8")
    _assert_as_without_memo(project, render(project, memo, known), "add")
    for name, (path, old, new) in EDITS.items():
        edit(project / path, old, new)
        _assert_as_without_memo(project, render(project, memo, known), name)


def _assert_as_without_memo(project: Path, pages: dict, name: str = "") -> None:
    plain = {page.uri: page for page in render_site(derive_site(*_content(project)), reuse=lambda uri, key: False, salt="ctx").pages}
    assert list(pages) == list(plain), f"{name}: the same pages in the same order"
    for uri, page in pages.items():
        assert page.projection == plain[uri].projection, f"{name}: {uri}"
        if not page.reused:
            assert page.markdown == plain[uri].markdown, f"{name}: {uri}"


def test_listings_are_rendered_again_when_the_cache_lost_one_of_their_pages(project):
    memo, known = Memo(), {}
    render(project, memo, known)
    del known[DISTRICT]  # the output cache no longer has it (pruned, or deleted by hand)
    second = render(project, memo, known)
    assert not second[DISTRICT].reused, "found, but not placeable: its group is rendered again"
    assert second["quan-huyen/nam-tu-liem/index.md"].reused, "other groups are still taken from the memo"
    assert memo.kept == 1, "the memo already holds what the group made again"


def test_the_memo_on_disk_is_kept_only_by_a_build_that_commits(project, tmp_path):
    outputs = OutputCache(tmp_path / "outputs")
    memo = CachedMemo(outputs, "dvk:listings")
    memo.keep("k1", {"pages": 3})
    assert CachedMemo(OutputCache(tmp_path / "outputs"), "dvk:listings").recall("k1") is None, "not committed: a failed build leaves none"
    outputs.commit()
    again = CachedMemo(OutputCache(tmp_path / "outputs"), "dvk:listings")
    assert again.recall("k1") == {"pages": 3} and again.recall("k2") is None
    for shard in (tmp_path / "outputs" / "blobs").iterdir():
        for blob in shard.iterdir():
            blob.write_bytes(b"hong")
    assert CachedMemo(OutputCache(tmp_path / "outputs"), "dvk:listings").recall("k1") is None, "a damaged memo is a miss"


def _content(project: Path):
    content = Validator().run(project)
    return content.entries, content.places
