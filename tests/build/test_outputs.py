"""Stale detection from page projections, and the on-disk caches, on inline trees.

Each test renders the mini fixture, changes one thing, renders again and looks at which
pages' input keys changed: those are the pages a build makes anew.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from generator.build import OutputCache, load_validator, page_input_key, save_validator
from generator.derive import derive_site
from generator.render import render_site
from generator.validate import Validator

ENTRY = "content/models/tay-ho/ngay-khong-giay-hen.md"


def page_keys(project: Path) -> dict[str, str]:
    content = Validator().run(project)
    assert not content.errors, [p.format() for p in content.errors]
    result = render_site(derive_site(content.entries, content.places))
    return {page.path: page_input_key("ctx", page.uri, page.content, page.blocks, page.token_prefix) for page in result.pages}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_same_content_gives_the_same_keys_across_runs(project):
    assert page_keys(project) == page_keys(project)


def test_a_story_edit_makes_only_that_entry_page_stale(project):
    before = page_keys(project)
    edit(project / ENTRY, "**không phải chờ đợi**", "**không phải chờ đợi**, cả thứ bảy")
    assert changed(before, page_keys(project)) == {"mo-hinh/ngay-khong-giay-hen/"}


def test_a_title_edit_makes_the_listings_that_show_it_stale_and_no_others(project):
    before = page_keys(project)
    edit(project / ENTRY, 'title: "Ngày không giấy hẹn"', 'title: "Ngày hẹn bằng không"')
    stale = changed(before, page_keys(project))
    assert "mo-hinh/ngay-khong-giay-hen/" in stale
    assert {"", "quan-huyen/tay-ho/", "nam/2024/"} <= stale  # home (newest), its district, its year
    assert "quan-huyen/nam-tu-liem/" not in stale  # a district page that does not list it
    assert "tim-kiem/" not in stale


def test_a_place_name_edit_reaches_every_page_that_names_the_place(project):
    before = page_keys(project)
    edit(project / "content/places.yml", "name: Tây Hồ, type: quận", "name: Tây Hồ, type: huyện")
    stale = changed(before, page_keys(project))
    assert {"quan-huyen/tay-ho/", "mo-hinh/ngay-khong-giay-hen/"} <= stale
    assert "mo-hinh/to-dan-van-xuan-phuong/" not in stale


def test_the_cache_returns_bytes_only_for_the_same_key(tmp_path):
    cache = OutputCache(tmp_path / "outputs")
    cache.store("a/index.html", "k1", "<p>Xin chào</p>".encode("utf-8"))
    cache.commit()
    again = OutputCache(tmp_path / "outputs")
    assert again.lookup("a/index.html", "k1").read_bytes() == "<p>Xin chào</p>".encode("utf-8")
    assert again.lookup("a/index.html", "k2") is None
    assert again.lookup("b/index.html", "k1") is None


def test_the_cache_survives_damage_as_a_miss(tmp_path):
    cache = OutputCache(tmp_path / "outputs")
    blob = cache.store("a/index.html", "k1", b"x")
    cache.commit()
    blob.unlink()
    assert OutputCache(tmp_path / "outputs").lookup("a/index.html", "k1") is None
    (tmp_path / "outputs" / "manifest.json").write_text("{không phải json", encoding="utf-8")
    assert OutputCache(tmp_path / "outputs").lookup("a/index.html", "k1") is None


def test_a_blob_removed_between_two_builds_of_one_process_is_a_miss(tmp_path):
    """`dvk serve` keeps one cache across rebuilds; blobs are listed once per build."""
    cache = OutputCache(tmp_path / "outputs")
    blob = cache.store("a/index.html", "k1", b"x", projection="p1")
    cache.commit()
    cache.forget_listing()
    assert cache.lookup_projection("a/index.html", "p1") == blob
    cache.commit()
    blob.unlink()  # another build pruned it, or someone cleaned the cache
    cache.forget_listing()
    assert cache.lookup_projection("a/index.html", "p1") is None and cache.lookup("a/index.html", "k1") is None


def test_commit_forgets_outputs_the_build_did_not_use(tmp_path):
    cache = OutputCache(tmp_path / "outputs")
    old = cache.store("old/index.html", "k", b"cu")
    cache.store("new/index.html", "k", b"moi")
    cache.commit()
    cache.store("new/index.html", "k", b"moi")
    cache.commit()
    manifest = json.loads((tmp_path / "outputs" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["outputs"]) == ["new/index.html"]
    assert not old.exists()


def test_the_validation_cache_is_reused_and_a_damaged_one_ignored(project, tmp_path):
    validator = Validator()
    validator.run(project)
    save_validator(tmp_path, validator)
    loaded = load_validator(tmp_path)
    before = loaded.checks
    assert not loaded.run(project).errors
    assert loaded.checks == before, "unchanged files are not checked again after a restart"
    edit(project / ENTRY, "field: xay-dung-he-thong-chinh-tri", "field: sai")
    assert [p.key for p in loaded.run(project).errors] == ["field"]
    (tmp_path / "validator.pickle").write_bytes(b"hong")
    assert load_validator(tmp_path).checks == 0


def test_after_an_edit_only_the_checked_file_is_written_and_read_back(project, tmp_path):
    validator = Validator()
    validator.run(project)
    save_validator(tmp_path, validator)
    full = (tmp_path / "validator.pickle").read_bytes()
    loaded = load_validator(tmp_path)
    edit(project / ENTRY, "field: xay-dung-he-thong-chinh-tri", "field: sai")
    assert [p.key for p in loaded.run(project).errors] == ["field"]
    save_validator(tmp_path, loaded)
    assert (tmp_path / "validator.pickle").read_bytes() == full, "one edit does not write every file again"
    journaled = pickle.loads((tmp_path / "validator.journal").read_bytes())[-1]
    assert [path for path, *_ in journaled] == [(project / ENTRY).resolve()]
    again = load_validator(tmp_path)
    before = again.checks
    assert [p.key for p in again.run(project).errors] == ["field"]
    assert again.checks == before, "the edited file's result comes back from the journal"
    edit(project / ENTRY, "field: sai", "field: xay-dung-he-thong-chinh-tri")
    assert not again.run(project).errors
    assert again.checks == before + 1


def projections(project: Path, known: dict[str, str] | None = None):
    """Render with a reuse callback that knows `known` ({source uri: projection}); returns the specs."""
    content = Validator().run(project)
    known = known or {}
    result = render_site(derive_site(content.entries, content.places), reuse=lambda uri, key: known.get(uri) == key, salt="ctx")
    return result.pages


def test_pages_with_a_known_projection_are_not_rendered_again(project):
    first = projections(project)
    assert all(page.projection and not page.reused and page.content for page in first)
    known = {page.uri: page.projection for page in first}
    edit(project / ENTRY, "**không phải chờ đợi**", "**không phải chờ đợi**, cả thứ bảy")
    second = projections(project, known)
    rendered = {page.path for page in second if not page.reused}
    # the entry page, and listings that carry the whole entry in their projection (their
    # HTML is unchanged, so the build still reuses it by its input key)
    others = {page.path for page in first if page.role == "entry" and page.path != "mo-hinh/ngay-khong-giay-hen/"}
    assert "mo-hinh/ngay-khong-giay-hen/" in rendered
    assert others and not others & rendered, "other entries' pages are not rendered again"
    assert "tim-kiem/" not in rendered and len(rendered) < len(first) / 2
    assert all(page.content == "" for page in second if page.reused)


def test_a_place_edit_changes_every_projection(project):
    known = {page.uri: page.projection for page in projections(project)}
    edit(project / "content/places.yml", "name: Tây Hồ, type: quận", "name: Tây Hồ, type: huyện")
    assert not any(page.reused for page in projections(project, known))


PROJECTIONS_SCRIPT = """
import json, sys
from pathlib import Path
from generator.derive import derive_site
from generator.render import render_site
from generator.validate import Validator
content = Validator().run(Path(sys.argv[1]))
found = {}
render_site(derive_site(content.entries, content.places), reuse=lambda uri, key: found.__setitem__(uri, key) or False, salt="ctx")
print(json.dumps(found, sort_keys=True))
"""


def test_projections_do_not_depend_on_the_hash_seed(project):
    """A projection that changed from one process to the next (a set in the arguments of
    the places index) made its page a cache miss on every build."""
    runs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", PROJECTIONS_SCRIPT, str(project)], capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED=seed), check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    assert "dia-ban/index.md" in runs[0]


def test_sort_keys_come_back_with_the_cache_and_a_new_icu_starts_it_afresh(project, tmp_path, monkeypatch):
    """A build after one edit sorts 10,000 titles with the keys the last build made (the
    validator's cache keeps them on its entries); an ICU with other collation rules must
    not reuse them, or cached lists would keep the old order."""
    import icu

    from generator import text
    from generator.build import fingerprint

    validator = Validator()
    content = validator.run(project)
    derive_site(content.entries, content.places)  # sorts the entries: their keys are made
    save_validator(tmp_path, validator)
    made = []
    monkeypatch.setattr(text, "_vn_sort_key", lambda title: made.append(title) or ("", title))
    loaded = load_validator(tmp_path)
    site = derive_site(loaded.run(project).entries, content.places)
    assert made == [] and [e.id for e in site.models] == [e.id for e in derive_site(content.entries, content.places).models]
    monkeypatch.setattr(icu, "ICU_VERSION", "0.0-khac")
    fingerprint.code_version.cache_clear()
    try:
        assert load_validator(tmp_path).checks == 0, "another ICU: the cache (and its keys) is not used"
    finally:
        fingerprint.code_version.cache_clear()


def test_a_cache_deleted_between_two_rebuilds_of_one_process_is_made_again(tmp_path):
    """`.cache/` may be deleted at any time, also while `dvk serve` runs: the next rebuild
    (forget_listing) makes the blob folders again instead of failing to write pages."""
    import shutil

    from generator.build import OutputCache

    cache = OutputCache(tmp_path / "outputs")
    site = tmp_path / "site"
    site.mkdir()
    cache.forget_listing()
    cache.write_placed(b"<p>trang 1</p>", site / "a.html")
    shutil.rmtree(tmp_path / "outputs")
    cache.forget_listing()
    import hashlib

    first = hashlib.sha256(b"<p>trang 1</p>").hexdigest()[:2]
    page = next(p for n in range(100_000) if hashlib.sha256(p := f"<p>trang 1 sửa {n}</p>".encode()).hexdigest()[:2] == first)
    digest = cache.write_placed(page, site / "b.html")  # into the blob folder the first page made
    assert cache.blob_path(digest).read_bytes() == page


def _variant(folder: Path, data: bytes) -> Path:
    """A file as the image cache writes a variant: once, mode 644, never rewritten."""
    path = folder / "ab" / "abcdef" / "480.webp"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    os.chmod(path, 0o644)
    return path


def test_an_image_variant_is_kept_as_a_hard_link_and_its_stamp_survives_new_links(tmp_path):
    """The site's copy of a photo variant is the image cache's file, not a second copy; the
    links a build and its spare tree make to it must not make the next build read and
    hash every variant again (its change time moves with each link)."""
    from generator.mkdocs_static import source_stamp

    data = b"RIFF\x00webp" * 100
    variant = _variant(tmp_path / "images", data)
    read = os.stat(variant)
    outputs = OutputCache(tmp_path / "outputs")
    digest = outputs.write_blob(data, link=(variant, (read.st_dev, read.st_ino, read.st_size, read.st_mtime_ns)))
    assert outputs.blob_path(digest).stat().st_ino == read.st_ino
    stamps = (source_stamp(str(variant), linked=True), source_stamp(str(variant)))
    os.link(variant, tmp_path / "site-copy.webp")  # as the site and its spare link the blob
    assert source_stamp(str(variant), linked=True) == stamps[0]
    assert source_stamp(str(variant)) != stamps[1]  # (an editable source keeps its change time)
    assert not [p for p in outputs.blobs.rglob("*") if p.name.startswith(".tmp-")]


def test_a_variant_replaced_after_it_was_read_is_copied_not_linked(tmp_path):
    """A damaged image-cache entry may be replaced by another build between the read and
    the link: the blob must hold the bytes its name is the digest of."""
    data = b"old variant bytes" * 100
    variant = _variant(tmp_path / "images", data)
    read = os.stat(variant)
    variant.unlink()
    variant.write_bytes(b"a new variant" * 120)  # another file at the same path
    os.chmod(variant, 0o644)
    outputs = OutputCache(tmp_path / "outputs")
    digest = outputs.write_blob(data, link=(variant, (read.st_dev, read.st_ino, read.st_size, read.st_mtime_ns)))
    blob = outputs.blob_path(digest)
    assert blob.read_bytes() == data and blob.stat().st_ino != variant.stat().st_ino
    assert not [p for p in outputs.blobs.rglob("*") if p.name.startswith(".tmp-")]


def test_one_walk_gives_the_digests_each_function_gives():
    """The validator digests an entry in one walk (digest_entry); a build that digests it
    lazily, field by field, must find the same keys or it would render everything again."""
    import copy
    import dataclasses

    from generator.render import projection

    content = Validator().run(Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "site-mini")
    names = (projection._OWN, projection._CARD, projection._STRUCTURE)
    assert len(content.entries) > 5
    for entry in content.entries:
        walked, lazy = copy.copy(entry), copy.copy(entry)
        for name in names:
            for one in (walked, lazy):
                if name in vars(one):
                    object.__delattr__(one, name)
        projection.digest_entry(walked)
        assert [projection.own_digest(lazy), projection.card_digest(lazy), projection.structure_digest(lazy)] == [getattr(walked, name) for name in names]
    # what each digest means: a story edit is the entry's page only, a title edit its cards too
    entry = content.entries[0]
    story = dataclasses.replace(entry, body=entry.body + "\n\nThêm một câu.")
    title = dataclasses.replace(entry, title=entry.title + " (sửa)")
    for changed in (story, title):
        projection.digest_entry(changed)
    assert projection.own_digest(story) != projection.own_digest(entry) and projection.card_digest(story) == projection.card_digest(entry)
    assert projection.card_digest(title) != projection.card_digest(entry) and projection.structure_digest(title) == projection.structure_digest(entry)
