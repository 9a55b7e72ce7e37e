"""A Validator kept across runs (mkdocs serve) sees every edit: entries, places, images."""

import os
import time

from generator.validate import Validator


def _touch_later(path):
    later = time.time() + 5
    os.utime(path, (later, later))


def test_edits_are_seen_by_a_reused_validator(project):
    validator = Validator()
    assert not validator.run(project).errors
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    entry.write_text(entry.read_text("utf-8").replace("field: xay-dung-he-thong-chinh-tri", "field: sai"), "utf-8")
    _touch_later(entry)
    assert [p.key for p in validator.run(project).errors] == ["field"]
    entry.write_text(entry.read_text("utf-8").replace("field: sai", "field: kinh-te"), "utf-8")
    _touch_later(entry)
    content = validator.run(project)
    assert not content.errors
    assert next(e for e in content.entries if e.id == "ngay-khong-giay-hen").field.id == "kinh-te"


def test_places_and_image_changes_recheck_unchanged_entries(project):
    validator = Validator()
    assert not validator.run(project).errors
    places = project / "content/places.yml"
    places.write_text(places.read_text("utf-8").replace("  - {id: nhat-tan, name: Nhật Tân, type: phường, district: tay-ho}\n", ""), "utf-8")
    _touch_later(places)
    assert any(p.key == "ward" for p in validator.run(project).errors)
    places.write_text(places.read_text("utf-8") + "  - {id: nhat-tan, name: Nhật Tân, type: phường, district: tay-ho}\n", "utf-8")
    _touch_later(places)
    assert not validator.run(project).errors
    image = project / "content/models/tay-ho/anh/giay-khen.png"
    image.write_bytes(image.read_bytes()[:200])
    _touch_later(image)
    errors = validator.run(project).errors
    assert errors and all(p.key.endswith(("image", "src")) for p in errors)


def test_a_validator_loaded_from_disk_rechecks_files_it_kept_without_front_matter(project, tmp_path):
    """The cache on disk keeps checked files without their front matter (the biggest part
    of it); a places change after loading must still check each file against it."""
    from generator.build.persist import load_validator, save_validator
    from generator.load import FRONT_MATTER_DROPPED

    first = Validator()
    assert not first.run(project).errors
    save_validator(tmp_path, first)
    loaded = load_validator(tmp_path)
    assert all(checked.raw.meta is FRONT_MATTER_DROPPED for checked in loaded._checked.values())
    checks = loaded.checks
    assert not loaded.run(project).errors and loaded.checks == checks  # nothing checked again
    places = project / "content/places.yml"
    places.write_text(places.read_text("utf-8").replace("  - {id: nhat-tan, name: Nhật Tân, type: phường, district: tay-ho}\n", ""), "utf-8")
    _touch_later(places)
    errors = loaded.run(project).errors
    assert [(p.path, p.key) for p in errors] == [("content/models/tay-ho/ngay-khong-giay-hen.md", "ward")]
    assert errors[0].line > 1  # the line of `ward:` in the file, read again
