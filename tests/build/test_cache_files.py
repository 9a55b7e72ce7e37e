"""Cached outputs become site files by hard link: they must be public and never written through."""

from __future__ import annotations

from generator.build import OutputCache, place_blob, separate_links


def test_a_page_placed_from_the_cache_is_public_and_a_dirty_build_can_write_it_safely(tmp_path):
    cache = OutputCache(tmp_path / "outputs")
    blob = cache.store("mo-hinh/a/index.md", "key", "<p>Dân vận khéo</p>".encode())
    site = tmp_path / "site" / "mo-hinh" / "a"
    site.mkdir(parents=True)
    page = site / "index.html"
    place_blob(blob, page)
    assert page.stat().st_mode & 0o777 == 0o644  # a web server (another user) reads it
    assert separate_links(tmp_path / "site") == 1
    page.write_text("<p>trang mới</p>", encoding="utf-8")  # what mkdocs --dirty does in place
    assert blob.read_text(encoding="utf-8") == "<p>Dân vận khéo</p>"  # the cache is intact


def test_a_written_path_never_leaves_its_folder(tmp_path):
    """Generated site paths come from slugs, but the writer refuses any path out of the
    folder, however it is spelled; harmless spellings land inside it."""
    import pytest

    from generator.build.cache import write_inside

    out = tmp_path / "out"
    out.mkdir()
    for bad in ("../x.json", "a/../../x.json", "/etc/dvk-x.json", "a/b/../../../x.json", ".."):
        with pytest.raises(ValueError):
            write_inside(out, bad, b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    for fine, lands in (("a//b.json", "a/b.json"), ("./c.json", "c.json"), ("d/./e.json", "d/e.json"), ("f/../g.json", "g.json"), ("dữ-liệu/h.json", "dữ-liệu/h.json")):
        assert write_inside(out, fine, b"[]") == str(out / lands)
        assert (out / lands).read_bytes() == b"[]"
