"""Precompressed copies: what a static host serves in place of the original must be the original."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import time
from pathlib import Path

import brotli

import generator.compressed as codec
from generator.compressed import PAGE_LEVELS
from generator.precompress import precompress_tree

PAGE = ("<!doctype html><html lang=vi><title>Trang</title><p>" + "Dân vận khéo ở phường Định Công. " * 200 + "</p></html>").encode()
CSS = (".dvk-card{margin:0;padding:.5rem;color:#123}\n" * 300).encode()


def _tree(root: Path) -> Path:
    (root / "mo-hinh/a").mkdir(parents=True)
    (root / "mo-hinh/a/index.html").write_bytes(PAGE)
    (root / "assets").mkdir()
    (root / "assets/site.css").write_bytes(CSS)
    (root / "assets/tiny.js").write_bytes(b"var a=1;")
    (root / "assets/photo.webp").write_bytes(os.urandom(4096))
    (root / "du-lieu").mkdir()
    (root / "du-lieu/anh.zip").write_bytes(gzip.compress(b"x" * 5000))
    return root


def test_every_text_file_gets_br_and_gz_copies_that_decode_to_it(tmp_path):
    site = _tree(tmp_path / "site")
    precompress_tree(site)
    for name, original in (("mo-hinh/a/index.html", PAGE), ("assets/site.css", CSS)):
        assert brotli.decompress((site / f"{name}.br").read_bytes()) == original
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == original
        assert len((site / f"{name}.br").read_bytes()) < len(original) / 4
    # nothing for images, files compressed already, or a file too small to gain
    for name in ("assets/photo.webp", "du-lieu/anh.zip", "assets/tiny.js"):
        assert not (site / f"{name}.br").exists() and not (site / f"{name}.gz").exists(), name


def test_the_search_index_a_first_query_fetches_is_compressed_harder_than_a_page(tmp_path):
    """Pages take a fast brotli level (12,000 of them at 10,000 entries, each within one
    round trip either way); the JSON a citizen's first search fetches keeps a smaller copy."""
    words = "dân vận khéo mô hình điển hình phường xã tổ dân phố hội phụ nữ đoàn thanh niên cựu chiến binh vận động bà con hiến đất làm đường".split()
    text = json.dumps([{"t": " ".join(words[(n * 7 + k * 3) % len(words)] for k in range(6 + n % 5)), "u": f"/mo-hinh/mh-{n * 37 % 1000}/", "n": n * 7919 % 10007} for n in range(300)], ensure_ascii=False).encode()
    site = tmp_path / "site"
    (site / "mo-hinh/a").mkdir(parents=True)
    (site / "chi-muc-tim-kiem").mkdir()
    (site / "mo-hinh/a/index.html").write_bytes(text)
    (site / "chi-muc-tim-kiem/a.json").write_bytes(text)
    precompress_tree(site)
    page, index = ((site / name).read_bytes() for name in ("mo-hinh/a/index.html.br", "chi-muc-tim-kiem/a.json.br"))
    assert brotli.decompress(page) == brotli.decompress(index) == text
    assert len(index) < len(page)


def test_copies_are_byte_identical_across_builds_and_gzip_names_no_file_nor_time(tmp_path):
    first = _tree(tmp_path / "one")
    precompress_tree(first)
    time.sleep(1.1)  # a gzip header with a time stamp would now differ
    second = _tree(tmp_path / "two")
    precompress_tree(second, workers=1)
    copies = sorted(p.relative_to(first) for p in first.rglob("*") if p.suffix in (".br", ".gz"))
    assert len(copies) == 4
    for rel in copies:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    for name in ("assets/site.css.gz", "mo-hinh/a/index.html.gz"):  # the asset and the page level
        header = (first / name).read_bytes()[:10]
        assert header[3] & 0x08 == 0, f"{name}: gzip header carries a file name"
        assert header[4:8] == b"\0\0\0\0", f"{name}: gzip header carries a time"


def test_stale_copies_are_removed_when_the_original_changes_or_goes(tmp_path):
    site = _tree(tmp_path / "site")
    precompress_tree(site)
    (site / "assets/site.css").write_bytes(b"a{}")  # now too small to compress
    shutil.rmtree(site / "mo-hinh/a")
    (site / "mo-hinh/b").mkdir()
    (site / "mo-hinh/b/index.html.br").write_bytes(b"left over")  # original gone
    (site / "mo-hinh/b/index.html.gz").write_bytes(b"left over")
    precompress_tree(site)
    assert not (site / "assets/site.css.br").exists() and not (site / "assets/site.css.gz").exists()
    assert not list((site / "mo-hinh/b").iterdir())


def test_a_valid_copy_written_by_someone_else_is_kept_and_a_wrong_one_replaced(tmp_path):
    site = _tree(tmp_path / "site")
    dated = gzip.compress(PAGE, mtime=1735689600)  # as mkdocs dates sitemap.xml.gz
    (site / "mo-hinh/a/index.html.gz").write_bytes(dated)
    (site / "assets/site.css.gz").write_bytes(gzip.compress(b"old content " * 100))
    precompress_tree(site)
    assert (site / "mo-hinh/a/index.html.gz").read_bytes() == dated
    assert gzip.decompress((site / "assets/site.css.gz").read_bytes()) == CSS


def test_a_rebuild_with_the_cache_compresses_only_changed_files_and_keeps_the_same_bytes(tmp_path, monkeypatch):

    calls = []
    real = codec.compress_brotli
    monkeypatch.setattr(codec, "compress_brotli", lambda data, level: calls.append(data) or real(data, level))
    cache = tmp_path / "cache"
    first = _tree(tmp_path / "one")
    precompress_tree(first, cache=cache)
    assert len(calls) == 2  # the page and the CSS
    calls.clear()
    second = _tree(tmp_path / "two")
    (second / "assets/site.css").write_bytes(CSS + "/* sửa */\n".encode() * 40)
    precompress_tree(second, cache=cache)
    assert calls == [(second / "assets/site.css").read_bytes()]  # only the changed file
    assert (second / "mo-hinh/a/index.html.br").read_bytes() == (first / "mo-hinh/a/index.html.br").read_bytes()
    assert brotli.decompress((second / "assets/site.css.br").read_bytes()) == (second / "assets/site.css").read_bytes()
    # the old CSS's entries were not used by the second run: gone, the folder stays one site's size
    assert len([p for p in cache.rglob("*") if p.is_file()]) == 4


def test_copies_made_through_the_cache_are_readable_by_a_web_server(tmp_path):
    site = _tree(tmp_path / "site")
    precompress_tree(site, cache=tmp_path / "cache")
    for copy in ("mo-hinh/a/index.html.br", "mo-hinh/a/index.html.gz", "assets/site.css.br"):
        assert (site / copy).stat().st_mode & 0o777 == 0o644, copy  # not mkstemp's 600


def test_a_large_site_compressed_by_two_processes_matches_one_and_keeps_its_cache(tmp_path):
    """Past POOL_MIN files the work is split between forked processes: same copies, and the
    cache entries every process used survive the prune (a later build finds them)."""
    from generator.cores import POOL_MIN

    def big_tree(root: Path) -> Path:
        for number in range(POOL_MIN + 20):
            folder = root / f"mo-hinh/m{number:04d}"
            folder.mkdir(parents=True)
            (folder / "index.html").write_bytes(PAGE.replace(b"Trang", f"Trang {number}".encode()))
        return root

    one, two = big_tree(tmp_path / "one"), big_tree(tmp_path / "two")
    precompress_tree(one, workers=1)
    cache = tmp_path / "cache"
    stats = precompress_tree(two, workers=2, cache=cache)
    assert stats.files == POOL_MIN + 20 and stats.written == 2 * (POOL_MIN + 20)
    copies = sorted(p.relative_to(one) for p in one.rglob("*") if p.suffix in (".br", ".gz"))
    assert len(copies) == 2 * (POOL_MIN + 20)
    for rel in copies:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
    assert len([p for p in cache.rglob("*") if p.is_file()]) == 2 * (POOL_MIN + 20)


def test_a_page_placed_from_the_output_cache_gets_its_copies_without_being_read(tmp_path, monkeypatch):
    """One-edit rebuilds: 10,000 placed pages need not be read again for their copies;
    a page something replaced after it was placed is read as any other."""
    import hashlib

    import generator.precompress as precompress

    blob = tmp_path / "blobs" / hashlib.sha256(PAGE).hexdigest()
    blob.parent.mkdir()
    blob.write_bytes(PAGE)
    cache = tmp_path / "compressed"
    original = precompress.precompress_file
    for build in ("one", "two"):
        site = tmp_path / build
        (site / "mo-hinh/a").mkdir(parents=True)
        (site / "mo-hinh/b").mkdir(parents=True)
        os.link(blob, site / "mo-hinh/a/index.html")
        os.link(blob, site / "mo-hinh/b/index.html")
        (site / "mo-hinh/b/index.html").unlink()  # replaced by something after it was placed
        (site / "mo-hinh/b/index.html").write_bytes(PAGE.replace(b"Trang", b"Khac"))
        read = []
        monkeypatch.setattr(precompress, "precompress_file", lambda path, *a: read.append(path.parent.name) or original(path, *a))
        known = {str(site / "mo-hinh/a/index.html"): blob, str(site / "mo-hinh/b/index.html"): blob}
        precompress_tree(site, workers=1, cache=cache, known=known)
        # the first build fills the cache; the second reads b only to hash it (its bytes'
        # entries exist since the first), links their copies in and compresses nothing
        assert read == (["a", "b"] if build == "one" else [])
        assert brotli.decompress((site / "mo-hinh/a/index.html.br").read_bytes()) == PAGE
        assert gzip.decompress((site / "mo-hinh/b/index.html.gz").read_bytes()) == PAGE.replace(b"Trang", b"Khac")


def test_editor_only_assets_are_compressed_fast_and_citizens_assets_smallest(tmp_path):
    """Decap CMS at /admin/ is loaded by editors only: its scripts get the data levels
    (a cold build spent a quarter of its compression on them at the asset levels); the
    CSS every citizen downloads keeps the smallest copy."""
    from generator.compressed import ASSET_LEVELS, DATA_LEVELS, compress_brotli

    site = _tree(tmp_path / "site")
    (site / "admin").mkdir()
    (site / "admin/decap-cms.js").write_bytes(CSS.replace(b"dvk-card", b"decap-app"))
    precompress_tree(site, editor_dirs=("admin",))
    assert (site / "admin/decap-cms.js.br").read_bytes() == compress_brotli((site / "admin/decap-cms.js").read_bytes(), DATA_LEVELS["br"])
    assert (site / "assets/site.css.br").read_bytes() == compress_brotli(CSS, ASSET_LEVELS["br"])
    assert compress_brotli(CSS, ASSET_LEVELS["br"]) != compress_brotli(CSS, DATA_LEVELS["br"]), "the levels must differ for this test to mean anything"


def test_another_compressor_version_does_not_reuse_the_cached_copies(tmp_path, monkeypatch):
    """An upgraded brotli may compress the same page to other bytes: copies kept from the
    old one would differ from a clean build's, so its entries are not reused, and the next
    run drops them."""

    cache = tmp_path / "cache"
    precompress_tree(_tree(tmp_path / "one"), cache=cache)
    old = {p.name for p in cache.rglob("*") if p.is_file()}
    calls = []
    real = codec.compress_brotli
    monkeypatch.setattr(codec, "compress_brotli", lambda data, level: calls.append(data) or real(data, level))
    monkeypatch.setattr(codec, "CODECS", "khac1234")
    precompress_tree(_tree(tmp_path / "two"), cache=cache)
    assert len(calls) == 2, "compressed again, not taken from the old entries"
    assert not old & {p.name for p in cache.rglob("*") if p.is_file()}


def test_unchanged_files_whose_copies_are_the_cached_ones_are_neither_compressed_nor_unpacked(tmp_path, monkeypatch):
    """A rebuild of the same tree (the search bundle, /admin/'s scripts, theme assets after
    one edit): copies that are links to the cache entries of the file's bytes stay; a file
    whose bytes changed while its old copies stayed beside it gets new ones."""
    import generator.precompress as pre

    cache = tmp_path / "cache"
    site = _tree(tmp_path / "site")
    first = precompress_tree(site, cache=cache)
    before = {name: os.stat(site / name).st_ino for name in ("mo-hinh/a/index.html.br", "assets/site.css.gz")}
    (site / "assets/site.css").unlink()  # the host writes a new file (new inode) with new bytes
    (site / "assets/site.css").write_bytes(CSS + "/* sửa */\n".encode() * 40)

    def refuse(*args):
        raise AssertionError("an unchanged copy was unpacked")

    calls = []
    real = codec.compress_brotli
    monkeypatch.setattr(codec, "compress_brotli", lambda data, level: calls.append(data) or real(data, level))
    unpack = pre._is_copy_of
    monkeypatch.setattr(pre, "_is_copy_of", lambda target, data, encoding: unpack(target, data, encoding) if "site.css" in str(target) else refuse())
    second = precompress_tree(site, cache=cache)
    assert os.stat(site / "mo-hinh/a/index.html.br").st_ino == before["mo-hinh/a/index.html.br"]
    assert calls == [(site / "assets/site.css").read_bytes()]
    assert gzip.decompress((site / "assets/site.css.gz").read_bytes()) == (site / "assets/site.css").read_bytes()
    assert brotli.decompress((site / "assets/site.css.br").read_bytes()) == (site / "assets/site.css").read_bytes()
    assert (second.files, second.written) == (first.files, first.written)


def test_a_copy_linked_to_the_entry_of_other_bytes_is_replaced(tmp_path):
    """Only a link to the entry of the file's own bytes counts as done."""
    cache = tmp_path / "cache"
    site = _tree(tmp_path / "site")
    precompress_tree(site, cache=cache)
    other = _tree(tmp_path / "other")
    (other / "assets/site.css").write_bytes(CSS * 2)
    precompress_tree(other, cache=cache, prune=False)
    for encoding in ("br", "gz"):  # site.css's copies become links to the other CSS's entries
        (site / f"assets/site.css.{encoding}").unlink()
        os.link(other / f"assets/site.css.{encoding}", site / f"assets/site.css.{encoding}")
    precompress_tree(site, cache=cache)
    assert brotli.decompress((site / "assets/site.css.br").read_bytes()) == CSS
    assert gzip.decompress((site / "assets/site.css.gz").read_bytes()) == CSS


def test_a_kept_trees_old_copy_at_another_level_is_replaced_as_a_clean_build_writes_it(tmp_path):
    """A kept tree (build/kept.py) holds the last build's copies beside a page the host
    wrote again. One made at another level (pages were brotli 5 before) unpacks to the
    page too, yet a clean build writes this level's bytes: the update must as well. A
    valid copy written during this build (mkdocs' sitemap.xml.gz) stays as it is."""
    from generator.build.kept import TreeListing
    from generator.compressed import compress_brotli

    site = _tree(tmp_path / "site")
    page = site / "mo-hinh/a/index.html"
    older = compress_brotli(PAGE, 5)
    assert older != compress_brotli(PAGE, PAGE_LEVELS["br"]), "the levels must differ for this test to mean anything"
    (site / "mo-hinh/a/index.html.br").write_bytes(older)
    (site / "mo-hinh/a/index.html.gz").write_bytes(gzip.compress(PAGE, 2, mtime=0))
    sitemap = b"<urlset>" + b"<url><loc>mo-hinh/a/</loc></url>" * 200 + b"</urlset>"
    (site / "sitemap.xml").write_bytes(sitemap)
    theirs = gzip.compress(sitemap, 9, mtime=1_700_000_000)  # dated, as mkdocs writes it
    (site / "sitemap.xml.gz").write_bytes(theirs)
    inode = lambda name: os.stat(site / name).st_ino  # noqa: E731
    listing = TreeListing(
        files={"mo-hinh/a/index.html": len(PAGE), "sitemap.xml": len(sitemap), "assets/site.css": len(CSS), "assets/tiny.js": 8},
        copies={"mo-hinh/a/index.html.br": inode("mo-hinh/a/index.html.br"), "mo-hinh/a/index.html.gz": inode("mo-hinh/a/index.html.gz"), "sitemap.xml.gz": None},
        placed=frozenset(),
    )
    precompress_tree(site, cache=tmp_path / "cache", listing=listing, workers=1)
    assert (site / "mo-hinh/a/index.html.br").read_bytes() == compress_brotli(PAGE, PAGE_LEVELS["br"])
    assert (site / "sitemap.xml.gz").read_bytes() == theirs


_GZIP_IN_ORDER = """
import hashlib, sys
from generator.compressed import compress_gzip
inputs = [bytes([(i * 7 + j * 13) % 251 for j in range(n)]) * 3 for i, n in enumerate((90000, 3000, 40000, 2500, 7000))]
order = [int(x) for x in sys.argv[1:]]
print(" ".join(hashlib.sha256(compress_gzip(inputs[i], 2)).hexdigest() for i in sorted(order, key=order.index)))
"""


def test_a_gzip_copy_is_the_same_bytes_whatever_the_process_compressed_before():
    """An incremental build keeps copies made by earlier processes; a clean build makes
    them in another order: the bytes must not depend on what a process compressed first
    (ISA-L's igzip once gave small scripts another valid encoding in a clean build)."""
    import subprocess
    import sys

    def digests(order: list[int]) -> dict[int, str]:
        done = subprocess.run([sys.executable, "-c", _GZIP_IN_ORDER, *map(str, order)], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
        return dict(zip(order, done.stdout.split()))

    assert digests([0, 1, 2, 3, 4]) == digests([4, 3, 2, 1, 0]) == digests([1, 3, 4])  | digests([0, 2])


def test_copies_warmed_by_another_process_are_linked_not_compressed_again(tmp_path, monkeypatch):
    """The open data run fills the cache for its files (CompressedCache.warm); the build's
    precompress then only links those entries, and the copies decode to the file."""

    data = ('{"mo_hinh": "Dân vận khéo", "phuong": "Định Công"}\n' * 400).encode()
    warmed = codec.CompressedCache(tmp_path / "cache")
    warmed.warm(data, "data/entries.json")
    warmed.warm(CSS, "assets/site.css")  # an asset's level depends on where it is: not warmed
    warmed.warm(b'{"a": 1}', "data/tiny.json")  # too small for a copy
    assert len([p for p in (tmp_path / "cache").rglob("*") if p.is_file()]) == 2
    calls = []
    real = codec.compress_brotli
    monkeypatch.setattr(codec, "compress_brotli", lambda data, level: calls.append(data) or real(data, level))
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data/entries.json").write_bytes(data)
    precompress_tree(site, cache=tmp_path / "cache")
    assert calls == [], "nothing compressed again"
    assert brotli.decompress((site / "data/entries.json.br").read_bytes()) == data
    assert gzip.decompress((site / "data/entries.json.gz").read_bytes()) == data
    clean = tmp_path / "clean"
    (clean / "data").mkdir(parents=True)
    (clean / "data/entries.json").write_bytes(data)
    precompress_tree(clean)
    assert (clean / "data/entries.json.br").read_bytes() == (site / "data/entries.json.br").read_bytes(), "the same bytes as compressing here"
    assert (clean / "data/entries.json.gz").read_bytes() == (site / "data/entries.json.gz").read_bytes()


def test_copies_the_page_writer_makes_are_those_precompress_makes(tmp_path):
    """Pages written from shells get their .br/.gz there (write_page_copies): the same
    bytes precompress_tree would write, counted by it without reading the page again,
    unless the page was replaced since."""
    import hashlib

    from generator.compressed import CompressedCache
    from generator.precompress import precompress_tree

    page = ("<html><body>" + "".join(f"<p>Mô hình dân vận khéo số {n}: hoà giải ở cơ sở.</p>" for n in range(200)) + "</body></html>").encode("utf-8")
    written, other = tmp_path / "a" / "index.html", tmp_path / "b" / "index.html"
    for path in (written, other):
        path.parent.mkdir(parents=True)
        path.write_bytes(page)
    os.link(written, tmp_path / "blob")  # a written page is a hard link to its blob in the output cache
    copies = CompressedCache(tmp_path / "cache-a").write_page_copies(page, hashlib.sha256(page).hexdigest(), str(written))
    assert copies is not None and copies.counts[2] == 2
    precompress_tree(tmp_path / "b", cache=tmp_path / "cache-b")
    for suffix in (".br", ".gz"):
        assert (tmp_path / "a" / f"index.html{suffix}").read_bytes() == (tmp_path / "b" / f"index.html{suffix}").read_bytes()
    stats = precompress_tree(tmp_path / "a", cache=tmp_path / "cache-a", written={str(written): copies})
    assert stats.written == 2 and sorted(os.listdir(tmp_path / "a")) == ["index.html", "index.html.br", "index.html.gz"]
    assert len(list((tmp_path / "cache-a").rglob(f"*.br{PAGE_LEVELS['br']}-*"))) == 1, "its cache entries were kept"
    changed = page.replace("số 1:".encode(), "số một:".encode())
    written.unlink()
    written.write_bytes(changed)  # replaced after the copies were made: compressed again
    precompress_tree(tmp_path / "a", cache=tmp_path / "cache-a", written={str(written): copies})
    assert brotli.decompress((tmp_path / "a" / "index.html.br").read_bytes()) == changed


def test_static_files_placed_from_the_output_cache_get_their_entries_while_pages_are_written(tmp_path, monkeypatch):
    """A first build compresses the theme's scripts and styles in a forked process started
    when they are placed (mkdocs_static.warm_static_copies), at the levels precompress
    chooses for their place: precompress then compresses nothing, and the copies are the
    bytes a build without that process makes. With every entry there, nothing is left."""
    import hashlib
    from types import SimpleNamespace

    import generator.mkdocs_static as static

    script = CSS.replace(b"dvk-card", b"decap-app")
    placed = []
    for uri, data in (("assets/site.css", CSS), ("admin/decap-cms.js", script), ("assets/tiny.js", b"var a=1;")):
        blob = tmp_path / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(exist_ok=True)
        blob.write_bytes(data)
        placed.append((SimpleNamespace(dest_uri=uri), blob))
    cache = tmp_path / "compressed"
    todo = static.missing_static_entries(placed, cache, ("admin",))
    assert [os.path.basename(blob) for blob, _ in todo] == [placed[0][1].name, placed[1][1].name], "not the file too small for a copy"
    assert [levels for _, levels in todo] == [codec.ASSET_LEVELS, codec.DATA_LEVELS], "/admin/'s script at the editors' levels"
    # (what the forked process runs, here: pytest's other threads make forking unsafe)
    monkeypatch.setattr(static, "forking_is_safe", lambda: False)
    assert static.warm_static_copies(placed, cache, ("admin",)) is None, "no fork beside other threads"
    static.make_entries(cache, todo)
    assert static.missing_static_entries(placed, cache, ("admin",)) == [], "nothing left to make"
    calls = []
    real = codec.compress_brotli
    monkeypatch.setattr(codec, "compress_brotli", lambda data, level: calls.append(data) or real(data, level))
    site, clean = tmp_path / "site", tmp_path / "clean"
    for root in (site, clean):
        for file, blob in placed:
            (root / file.dest_uri).parent.mkdir(parents=True, exist_ok=True)
            os.link(blob, root / file.dest_uri)
    precompress_tree(site, workers=1, cache=cache, known={str(site / f.dest_uri): b for f, b in placed}, editor_dirs=("admin",))
    assert calls == [], "precompress only linked the entries"
    precompress_tree(clean, workers=1, editor_dirs=("admin",))
    for name in ("assets/site.css.br", "assets/site.css.gz", "admin/decap-cms.js.br", "admin/decap-cms.js.gz"):
        assert (site / name).read_bytes() == (clean / name).read_bytes(), name
    assert (site / "assets/site.css.br").read_bytes() == codec.compress_brotli(CSS, codec.ASSET_LEVELS["br"])
    assert not (site / "assets/tiny.js.br").exists()


def test_a_failed_or_interrupted_build_does_not_leave_the_compressing_process_running():
    """`dvk build` ends with os._exit: a process warm_static_copies started must have ended
    by then, or it would go on holding the build lock it inherited (the editor's next
    build would wait for it)."""
    import multiprocessing

    from generator.mkdocs_plugin import DvkPlugin

    for end in ("on_build_error", "on_shutdown"):
        plugin = DvkPlugin()
        plugin.warming = multiprocessing.get_context("fork").Process(target=time.sleep, args=(0.3,))
        plugin.warming.start()
        process = plugin.warming
        getattr(plugin, end)(**({"error": RuntimeError("trang lỗi")} if end == "on_build_error" else {}))
        assert process.exitcode == 0, end
        assert plugin.warming is None, end
