"""The search bundle updated after a few records changed (generator/search/keeper.py).

A preview after one save and the next `dvk build` update the last bundle instead of making
it again; what a citizen's browser downloads must be the very bytes a clean build makes,
so each step here compares the updated bundle with a whole make of the same records.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

import generator.search.index as search_index
import generator.search.keeper as keeper_module
from generator.search import BundleKeeper, SearchRecord, make_bundle, read_keeper, save_keeper
from generator.search.records import SECTION_WEIGHTS, collect_pairs, new_words

SYLLABLES = "dan van kheo hoa giai mo hinh dien thon xom phuong xa to dan pho tre em nguoi cao tuoi dinh cong thanh tri ha dong".split()


def make_record(rng: random.Random, number: int, extra: str = "") -> SearchRecord:
    """A record as make_search_record makes one: each word once, pairs from the first three parts."""
    texts = [" ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 6))) for _ in SECTION_WEIGHTS]
    texts[2] += extra
    seen: set[str] = set()
    sections = [(weight, new_words(text, seen)) for weight, text in zip(SECTION_WEIGHTS, texts)]
    district = rng.choice(["Đống Đa", "Hoàng Mai", "Thanh Trì"])
    return SearchRecord(
        url=f"/mo-hinh/m{number:04d}/",
        sections=tuple((weight, words) for weight, words in sections if words),
        meta=(("title", f"Mô hình {number}"), ("summary", texts[2]), ("kind", "Mô hình")),
        filters=(("Địa bàn", district), ("Năm", str(rng.choice([2023, 2024, 2025])))),
        pairs=collect_pairs([[text] for text in texts[:3]]),
    )


def edit(rng: random.Random, records: list[SearchRecord], count: int) -> list[SearchRecord]:
    """`count` records changed as an editor changes entries: words added or dropped,
    a district or year changed, a title rewritten."""
    records = list(records)
    for _ in range(count):
        page = rng.randrange(len(records))
        number = int(records[page].url.split("m")[-1].rstrip("/"))
        changed = make_record(rng, number, extra=rng.choice(["", " xyz", f" moi{rng.randint(0, 99)}"]))
        records[page] = changed if rng.random() < 0.7 else dataclasses.replace(records[page], filters=changed.filters)
    return records


@pytest.fixture
def small_shards(monkeypatch):
    """Shards a few hundred bytes large, so a small corpus is split several letters deep
    (as 10,000 entries are at the real size) and an edit moves terms between shards."""
    monkeypatch.setattr(search_index, "SHARD_BYTES", 300)


def test_an_updated_bundle_is_the_bundle_a_whole_make_gives(small_shards):
    rng = random.Random(11)
    records = [make_record(rng, number) for number in range(400)]
    keeper = BundleKeeper()
    first = keeper.make(records)
    assert first == make_bundle(records) and not keeper.updated
    assert sum(1 for name in first if name.startswith("w/")) > 15  # split deep: the test moves terms between shards
    for step in range(25):
        records = edit(rng, records, count=rng.choice([1, 1, 2, 5, 40]))
        files = keeper.make(records)
        assert keeper.updated, "a few changed pages are updated, not made again"
        assert files == make_bundle(records), f"step {step}"


def test_the_kept_state_survives_a_new_process_and_a_stale_file(small_shards, tmp_path):
    """`dvk build` reads the state the last build saved, which is left as it was after
    small updates: the next build then has a few more changed pages, never a wrong file."""
    rng = random.Random(5)
    records = [make_record(rng, number) for number in range(300)]
    path = tmp_path / "bundle.pickle"
    for step in range(12):
        keeper = read_keeper(path, "dvk 1")
        files = keeper.make(records)
        assert files == make_bundle(records), f"step {step}"
        assert keeper.updated == (step > 0)
        save_keeper(path, keeper, "dvk 1")
        records = edit(rng, records, count=rng.choice([1, 3, 30]))
    assert read_keeper(path, "dvk 2").urls is None, "another dvk version starts afresh"
    path.write_bytes(b"not a pickle")
    assert read_keeper(path, "dvk 1").make(records) == make_bundle(records)


def test_an_added_or_removed_entry_makes_the_bundle_again(small_shards):
    rng = random.Random(3)
    records = [make_record(rng, number) for number in range(0, 200, 2)]
    keeper = BundleKeeper()
    keeper.make(records)
    records = [*records, make_record(rng, 51)]  # every later page number moves
    assert keeper.make(records) == make_bundle(records) and not keeper.updated
    records = records[1:]
    assert keeper.make(records) == make_bundle(records) and not keeper.updated


def test_an_update_that_fails_half_way_makes_everything_next_time(small_shards, monkeypatch):
    rng = random.Random(8)
    records = [make_record(rng, number) for number in range(200)]
    keeper = BundleKeeper()
    keeper.make(records)
    records = edit(rng, records, count=3)

    def broken(letter, group):
        raise OSError("hết bộ nhớ")

    monkeypatch.setattr(keeper_module, "split_group", broken)
    with pytest.raises(OSError):
        keeper.make(records)
    monkeypatch.undo()
    monkeypatch.setattr(search_index, "SHARD_BYTES", 300)
    assert keeper.make(records) == make_bundle(records) and not keeper.updated
