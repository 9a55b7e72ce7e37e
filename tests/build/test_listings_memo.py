"""The non-entry pages memo (render/listings.py, build.CachedMemo) on the mini fixture.

A story edit must not gather or digest any listing again, yet a change a listing shows
(a title) and a cache that lost a page must both render the listings afresh.
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
    known.update({page.uri: page.projection for page in pages})
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
    assert all(page.content == first[page.uri].content for page in listings if page.role == SECTION), "section pages come whole"
    assert not second["mo-hinh/ngay-khong-giay-hen/index.md"].reused, "the edited entry's own page is rendered"
    plain = render_site(derive_site(*_content(project)), reuse=lambda uri, key: False, salt="ctx").pages
    assert {page.uri: page.projection for page in plain} == {uri: page.projection for uri, page in second.items()}


def test_a_title_edit_renders_the_listings_that_show_it(project):
    memo, known = Memo(), {}
    render(project, memo, known)
    edit(project / ENTRY_FILE, 'title: "Ngày không giấy hẹn"', 'title: "Ngày không giấy hẹn, cả thứ bảy"')
    second = render(project, memo, known)
    assert memo.recalled == 0 and memo.kept == 2
    district = second[DISTRICT]
    assert not district.reused and "cả thứ bảy" in district.markdown, "the district page shows the new title"


def test_listings_are_rendered_again_when_the_cache_lost_one_of_their_pages(project):
    memo, known = Memo(), {}
    render(project, memo, known)
    del known[DISTRICT]  # the output cache no longer has it (pruned, or deleted by hand)
    second = render(project, memo, known)
    assert memo.kept == 2, "found, but not usable: rendered and kept again"
    assert not second[DISTRICT].reused


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
