"""Pagefind's filter data, re-sorted so two runs give the same files (generator/searchindex.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2
import pytest

from generator.searchindex import SIGNATURE, SearchIndexError, canonicalise_pagefind, pagefind_hash, read_payload


def _write(path: Path, value) -> str:
    payload = cbor2.dumps(value)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + payload, mtime=0))
    return payload


def _index(root: Path, values_order: list[int], filters_order: list[int]) -> Path:
    """A Pagefind-shaped index whose filter values/filters come in the given (random) order."""
    out = root / "pagefind"
    districts = [["Quận Tây Hồ", [0, 2]], ["Quận Đống Đa", [1]], ["Quận Ba Đình", [3]], ["Phường Hoà Bình", [4]], ["Phường Hòa Bình", [5]]]
    years = [["2024", [0, 1]], ["2023", [2, 3, 4, 5]]]
    names = []
    for name, values in (("Địa bàn", districts), ("Năm", years)):
        ordered = [values[i % len(values)] for i in values_order if i < len(values)]
        payload = _write(out / "filter" / "tmp.pf_filter", [name, ordered])
        hashed = f"vi_{pagefind_hash(payload)[:7]}"
        (out / "filter" / "tmp.pf_filter").rename(out / "filter" / f"{hashed}.pf_filter")
        names.append([name, hashed])
    meta = ["1.5.2", [["vi_frag", 10]], [["a", "z", "vi_idx"]], [names[i] for i in filters_order], []]
    meta_payload = _write(out / "meta.tmp", meta)
    meta_hash = f"vi_{pagefind_hash(meta_payload)[:10]}"
    (out / "meta.tmp").rename(out / f"pagefind.{meta_hash}.pf_meta")
    (out / "pagefind-entry.json").write_text(json.dumps({"version": "1.5.2", "languages": {"vi": {"hash": meta_hash, "wasm": None, "page_count": 6}}}), encoding="utf-8")
    return out


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_any_order_from_pagefind_gives_the_same_files(tmp_path):
    a = _index(tmp_path / "a", [0, 1, 2, 3, 4], [0, 1])
    b = _index(tmp_path / "b", [4, 2, 0, 3, 1], [1, 0])
    assert _files(a) != _files(b)
    assert canonicalise_pagefind(a) and canonicalise_pagefind(b)
    assert _files(a) == _files(b)


def test_values_in_vietnamese_order_and_index_still_consistent(tmp_path):
    out = _index(tmp_path, [4, 2, 0, 3, 1], [1, 0])
    canonicalise_pagefind(out)
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read_payload(out / f"pagefind.{entry['languages']['vi']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["Địa bàn", "Năm"]
    assert meta[1] == [["vi_frag", 10]] and meta[2] == [["a", "z", "vi_idx"]]  # untouched
    districts = read_payload(out / "filter" / f"{meta[3][0][1]}.pf_filter")
    assert [v for v, _ in districts[1]] == ["Phường Hoà Bình", "Phường Hòa Bình", "Quận Ba Đình", "Quận Đống Đa", "Quận Tây Hồ"]
    assert dict((v, p) for v, p in districts[1])["Quận Tây Hồ"] == [0, 2]  # pages travel with their value
    assert len(list((out / "filter").iterdir())) == 2 and len(list(out.glob("*.pf_meta"))) == 1


def test_unknown_format_fails_loudly(tmp_path):
    out = _index(tmp_path, [0, 1], [0, 1])
    victim = next((out / "filter").iterdir())
    victim.write_bytes(gzip.compress(b"something else"))
    with pytest.raises(SearchIndexError):
        canonicalise_pagefind(out)


def test_no_index_is_not_an_error(tmp_path):
    assert canonicalise_pagefind(tmp_path / "pagefind") is False
