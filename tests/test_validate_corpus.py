"""The broken-entry corpus: every fault an editor can make is reported with file, line,
key and a hint, in one run, with a non-zero exit and never a traceback."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import FIXTURES, run_dvk, write

BROKEN = FIXTURES / "broken"

# case file (under content/) -> (line, key, words the message must contain)
EXPECTED = {
    "models/yaml-unclosed-quote.md": (4, "unit", "ngoặc kép"),
    "models/unknown-key.md": (5, "distict", "district"),
    "models/wrong-field.md": (7, "field", "kinh-te"),
    "models/wrong-level.md": (8, "level", "co-so"),
    "models/missing-summary.md": (2, "summary", "thiếu"),
    "models/empty-title.md": (3, "title", "trống"),
    "models/year-out-of-range.md": (9, "year", "1999"),
    "models/year-not-number.md": (9, "year", "năm"),
    "models/summary-too-long.md": (10, "summary", "300"),
    "models/duplicate-key.md": (11, "title", "hai lần"),
    "models/dangling-related.md": (11, "related[2]", "mo-hinh-khong-ton-tai"),
    "models/award-event-dangling.md": (16, "awards[1].event", "hoi-thi-khong-co"),
    "models/award-event-not-event.md": (15, "awards[1].event", "sự kiện"),
    "models/award-bad-rank.md": (15, "awards[1].rank", "nhat"),
    "models/award-missing-level.md": (12, "awards[1].level", "thiếu"),
    "models/ward-not-in-district.md": (6, "ward", "tay-ho"),
    "models/unknown-district.md": (5, "district", "tay-ho"),
    "models/ward-as-district.md": (5, "district", "ward"),
    "models/no-place.md": (2, "district", "ward"),
    "models/new-ward-with-district.md": (6, "ward", "1/7/2025"),
    "models/missing-image.md": (12, "images[1].src", "không tìm thấy"),
    "models/image-escapes-content.md": (12, "images[1].src", "content/"),
    "models/image-absolute.md": (12, "images[1].src", "/"),
    "models/image-not-image.md": (12, "images[1].src", "không phải là ảnh"),
    "models/image-missing-caption.md": (12, "images[1].caption", "thiếu"),
    "models/missing-closing-fence.md": (1, "", "---"),
    "models/no-front-matter.md": (1, "", "---"),
    "models/alias-bomb.md": (11, "", "bí danh"),
    "models/Ten Tep Sai.md": (1, "", "ten-tep-sai.md"),
    "models/exemplar-no-subject.md": (2, "subject", "person"),
    "models/model-with-subject.md": (3, "subject", "exemplar"),
    "models/kind-missing.md": (2, "kind", "model"),
    "models/bad-url.md": (13, "sources[1].url", "https://"),
    "models/source-bad-date.md": (13, "sources[1].date", "không tồn tại"),
    "models/boolean-title.md": (3, "title", "ngoặc kép"),
    "models/results-not-list-of-text.md": (12, "results[1]", "đoạn chữ"),
    "models/awards-not-list.md": (11, "awards", "danh sách"),
    "models/front-matter-list.md": (2, "", "khóa: giá trị"),
    "models/tab-indent.md": (12, "title", "Tab"),
    "models/self-related.md": (11, "related[1]", "chính nó"),
    "models/unknown-nested-key.md": (14, "images[1].credits", "credit"),
    "models/duplicate-id/tay-ho/trung-id.md": (1, "id", "duplicate-id/nam-tu-liem/trung-id.md"),
    "models/duplicate-id/nam-tu-liem/trung-id.md": (1, "id", "duplicate-id/tay-ho/trung-id.md"),
    "events/event-bad-date.md": (4, "date", "không tồn tại"),
    "events/event-dmy-date.md": (4, "date", "2024-01-19"),
    "events/event-bad-type.md": (3, "type", "hoi-thi"),
    "events/event-end-before-start.md": (8, "end_date", "trước"),
    "events/event-dangling-recipient.md": (9, "results[1].recipient", "doi-thi-khong-co"),
    "events/event-bad-result-rank.md": (9, "results[1].rank", "nhat"),
    "events/event-figure-dotted.md": (9, "figures.mo_hinh_dang_ky", "3124"),
    "events/event-figure-bad-key.md": (9, "figures.Mô hình đăng ký", "mo_hinh_dang_ky"),
    # an undeclared figure key needs a label: the hint names the nearest declared key and its label
    "events/event-figure-unknown-key.md": (9, "figures.ho_gia_dinh", "ho_gia_dinh_tham_gia` (Hộ gia đình tham gia)"),
    "events/event-figure-label-no-value.md": (9, "figures.ho_nhan_qua", "value"),
    "events/event-figure-label-dotted.md": (11, "figures.ho_nhan_qua", "1200"),
    "events/event-figure-label-extra-key.md": (9, "figures.ho_nhan_qua.don_vi", "label, value"),
    "events/event-missing-organizer.md": (2, "organizer", "thiếu"),
    "events/event-kind-model.md": (8, "kind", "event"),
}


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def _jpeg_bytes(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _entry_with_image(src: str) -> str:
    return (BROKEN / "models" / "missing-image.md").read_text(encoding="utf-8").replace("anh/khong-co.jpg", src)


# Faults that need bytes or file-system tricks: (file under content/, extra files, line, key, words)
def _special_cases(content: Path) -> dict[str, tuple[int, str, str]]:
    models = content / "models"
    write(models / "invalid-utf8.md", "---\nkind: model\n".encode() + b'title: "Ng\xe0y kh\xf4ng"\n---\n')
    write(models / "nul-byte.md", b"---\nkind: model\ntitle: x\x00\n---\n")
    write(models / "control-char.md", (BROKEN / "models" / "unknown-key.md").read_text("utf-8").replace("Khóa gõ sai", "Khóa\x07 gõ sai"))
    # a C1 control through a YAML escape (a raw one in the file is a line break to YAML)
    write(models / "c1-control.md", (BROKEN / "models" / "unknown-key.md").read_text("utf-8").replace("Khóa gõ sai", "Khóa gõ sai\\x9b"))
    write(models / "anh" / "bom.png", _png_header_only(30000, 30000))
    write(models / "image-bomb.md", _entry_with_image("anh/bom.png"))
    write(models / "anh" / "cut.jpg", _jpeg_bytes()[:2500])
    write(models / "image-truncated.md", _entry_with_image("anh/cut.jpg"))
    write(models / "anh" / "iphone.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200)
    write(models / "image-heic.md", _entry_with_image("anh/iphone.jpg"))
    write(models / "anh" / "hinh.bmp", b"BM" + b"\x00" * 60)
    outside = content.parent / "secret.jpg"
    outside.write_bytes(_jpeg_bytes((64, 64)))
    (models / "anh" / "link.jpg").symlink_to(outside)
    write(models / "image-symlink-escape.md", _entry_with_image("anh/link.jpg"))
    write(models / "deep-nesting.md", "---\nkind: model\ntags: " + "[" * 200 + "]" * 200 + "\n---\n")
    write(models / "too-large.md", "---\nkind: model\n---\n" + "x" * 1_100_000)
    write(models / "utf16.md", "---\ntitle: Ngày\n---\n".encode("utf-16"))
    base = (BROKEN / "models" / "unknown-key.md").read_text("utf-8").replace("distict", "district")
    write(models / "field-as-list.md", base.replace("field: kinh-te", "field: [kinh-te]"))
    write(models / "related-mapping.md", base.replace("---\nNội", "related: [{a: 1}]\n---\nNội"))
    return {
        "models/invalid-utf8.md": (3, "", "UTF-8"),
        "models/nul-byte.md": (3, "", "NUL"),
        "models/control-char.md": (3, "title", "ký tự"),
        "models/c1-control.md": (3, "title", "ký tự"),
        "models/image-bomb.md": (12, "images[1].src", "quá lớn"),
        "models/image-truncated.md": (12, "images[1].src", "cắt cụt"),
        "models/image-heic.md": (12, "images[1].src", "HEIC"),
        "models/image-symlink-escape.md": (12, "images[1].src", "content/"),
        "models/deep-nesting.md": (3, "", "sâu"),
        "models/too-large.md": (0, "", "quá lớn"),
        "models/utf16.md": (1, "", "UTF-8"),
        "models/field-as-list.md": (7, "field", "danh sách"),
        "models/related-mapping.md": (11, "related[1]", "một id"),
    }


def _install_corpus(project: Path) -> dict[str, tuple[int, str, str]]:
    content = project / "content"
    for folder in ("models", "events"):
        shutil.copytree(BROKEN / folder, content / folder, dirs_exist_ok=True)
    expected = dict(EXPECTED)
    expected.update(_special_cases(content))
    return expected


def _problems(result) -> list[dict]:
    return json.loads(result.stdout)["problems"]


def test_corpus_has_at_least_25_distinct_faults():
    assert len(EXPECTED) >= 25


def test_whole_corpus_reported_in_one_run(project: Path):
    expected = _install_corpus(project)
    result = run_dvk("validate", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    problems = _problems(result)
    missing = []
    for case, (line, key, words) in expected.items():
        path = f"content/{case}"
        hits = [p for p in problems if p["path"] == path and p["severity"] == "error"]
        match = [p for p in hits if p["line"] == line and p["key"] == key and words in p["message"] + " " + p["hint"]]
        if not match:
            missing.append((case, line, key, words, [(p["line"], p["key"], p["message"]) for p in hits]))
    assert not missing, "\n".join(map(str, missing))
    # the valid entries of the base project are not blamed
    assert not [p for p in problems if p["path"].startswith(("content/models/tay-ho/", "content/events/hoi-thi"))]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_fault_alone_fails_with_file_line_key(project: Path, case: str):
    """Each fault on its own, as an editor meets it: text output, exit 1, hint shown."""
    content = project / "content"
    source = BROKEN / case
    target = content / case
    write(target, source.read_bytes())
    if case.endswith("image-not-image.md"):
        shutil.copy(BROKEN / "models" / "anh-gia.jpg", target.parent / "anh-gia.jpg")
    if "duplicate-id" in case:
        other = case.replace("tay-ho", "X").replace("nam-tu-liem", "tay-ho").replace("X", "nam-tu-liem")
        write(content / other, (BROKEN / other).read_bytes())
    result = run_dvk("validate", cwd=project)
    line, key, words = EXPECTED[case]
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    prefix = f"content/{case}:{line}:" if line else f"content/{case}:"
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith(prefix)]
    assert lines, result.stdout
    assert any((f" {key}:" in ln if key else True) and words in ln for ln in lines), lines
    assert "lỗi" in result.stdout.splitlines()[-1]


def test_valid_project_passes_clean(project: Path):
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 lỗi, 0 cảnh báo.")


def test_strict_turns_warnings_into_failure(project: Path):
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    text = entry.read_text("utf-8")
    entry.write_text(text.replace("Ngày không giấy hẹn", "Ngày không giấy hẹn hoà giải").replace("Nội dung", "Hòa thuận"), "utf-8")
    decomposed = project / "content/models/tay-ho/nfd.md"
    decomposed.write_text(__import__("unicodedata").normalize("NFD", text).replace("ngay-khong", "x"), "utf-8")
    relaxed = run_dvk("validate", cwd=project)
    strict = run_dvk("validate", "--strict", cwd=project)
    assert relaxed.returncode == 0, relaxed.stdout
    assert strict.returncode == 1
    assert "content/models/tay-ho/nfd.md:3: [cảnh báo] title: chữ không ở dạng Unicode NFC" in relaxed.stdout


def test_mixed_tone_placement_is_a_warning(project: Path):
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    text = entry.read_text("utf-8").replace("Ngày không giấy hẹn", "Hoà giải ở cơ sở") + "\nTổ hòa giải.\n"
    entry.write_text(text, "utf-8")
    result = run_dvk("validate", "--format", "json", cwd=project)
    warnings = [p for p in _problems(result) if p["severity"] == "warning"]
    assert result.returncode == 0
    assert any(p["key"] == "dấu thanh" and p["line"] == 3 for p in warnings), warnings


def test_story_lines_are_named_as_the_editor_counts_them(project: Path):
    """The story starts after blank lines below the front matter: a warning about it names
    the line where the editor's text editor shows it (it was named one line early)."""
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    head, body = entry.read_text("utf-8").split("\n---\n", 1)
    text = head + "\n---\n\n\n" + body.strip("\n") + "\n\nHoà giải ở tổ dân phố.\n\nTổ hòa giải.\n\n\n"
    entry.write_text(text, "utf-8")
    old = text.split("\n").index("Hoà giải ở tổ dân phố.") + 1
    result = run_dvk("validate", "--format", "json", cwd=project)
    tone = [p for p in _problems(result) if p["key"] == "dấu thanh"]
    assert [p["line"] for p in tone] == [old], tone
    assert f"kiểu cũ ở dòng {old}," in tone[0]["message"]


def test_forgiving_vocabulary_match_warns_with_the_id(project: Path):
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    entry.write_text(entry.read_text("utf-8").replace("field: xay-dung-he-thong-chinh-tri", 'field: "Xây dựng hệ thống chính trị"'), "utf-8")
    result = run_dvk("validate", "--format", "json", cwd=project)
    assert result.returncode == 0
    hits = [p for p in _problems(result) if p["key"] == "field"]
    assert hits and "xay-dung-he-thong-chinh-tri" in hits[0]["hint"]


def test_crlf_and_bom_files_are_accepted(project: Path):
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    entry.write_bytes(b"\xef\xbb\xbf" + entry.read_bytes().replace(b"\n", b"\r\n"))
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 0, result.stdout


def test_hidden_characters_in_a_story_are_refused_at_their_line_but_emoji_and_crlf_are_kept(project: Path):
    """Fields refused bidi and zero-width marks; the story took them: "gnp.exe" behind a
    U+202E read as "exe.png" on the page and in the book."""
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    text = entry.read_text("utf-8").rstrip("\n") + "\n\nGia đình 👨\u200d👩\u200d👧 cùng tham gia.\n\nTệp \u202egnp.exe\u202c đính kèm.\n"
    entry.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    line = text.split("\n").index("Tệp \u202egnp.exe\u202c đính kèm.") + 1
    result = run_dvk("validate", "--format", "json", cwd=project)
    assert result.returncode == 1
    hidden = [p for p in _problems(result) if p["key"] == "nội dung" and "ký tự ẩn" in p["message"]]
    assert [(p["line"], "U+202E" in p["message"]) for p in hidden] == [(line, True)]
    entry.write_bytes(text.replace("\u202egnp.exe\u202c", "anh.png").replace("\n", "\r\n").encode("utf-8"))
    assert run_dvk("validate", cwd=project).returncode == 0  # the emoji's joiners and CRLF stay


def test_broken_places_registry_is_reported(project: Path):
    places = project / "content/places.yml"
    places.write_text(places.read_text("utf-8") + "  - {id: nhat-tan, name: Nhật Tân, type: phường, district: tay-ho}\n  - {id: abc, name: Ba Đình, type: phường, district: khong-co}\n", "utf-8")
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 1
    assert "content/places.yml:13: id:" in result.stdout  # duplicate id
    assert "content/places.yml:14: id:" in result.stdout  # id does not match name
    assert "content/places.yml:14: district:" in result.stdout


def test_an_unreadable_places_registry_is_the_first_problem_named(project: Path):
    """Every ward and district then fails with it: the cause comes first, not after them."""
    places = project / "content/places.yml"
    places.write_text("districts:\n  - {id: x\n", "utf-8")
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("content/places.yml:")


def test_symlinked_entry_is_refused(project: Path, tmp_path: Path):
    """An entry file may not be a link to a file elsewhere (it could read anything)."""
    outside = write(tmp_path / "elsewhere.md", (project / "content/events/hoi-thi-mau-2024.md").read_text("utf-8"))
    (project / "content/events/lien-ket.md").symlink_to(outside)
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 1
    assert "content/events/lien-ket.md: tệp là liên kết tượng trưng (symlink)" in result.stdout


def test_entry_in_a_mistyped_folder_is_not_silently_ignored(project: Path):
    write(project / "content/model/tay-ho/lac.md", (project / "content/models/tay-ho/ngay-khong-giay-hen.md").read_text("utf-8"))
    result = run_dvk("validate", "--strict", cwd=project)
    assert result.returncode == 1
    assert "content/model/tay-ho/lac.md:1: [cảnh báo] tệp mục nằm ngoài content/models/" in result.stdout


@pytest.mark.parametrize("written", ['"Điển hình"', "ĐIỂN HÌNH", "dien_hinh"])
def test_forgiving_kind_does_not_fail_files_that_point_to_it(project: Path, written: str):
    """The event's results name this exemplar; its forgiving kind must be read as `exemplar`."""
    target = project / "content/models/nam-tu-liem/to-dan-van-xuan-phuong.md"
    target.write_text(target.read_text("utf-8").replace("kind: exemplar", f"kind: {written}"), "utf-8")
    result = run_dvk("validate", "--format", "json", cwd=project)
    problems = _problems(result)
    assert result.returncode == 0, problems
    assert [p["path"] for p in problems] == ["content/models/nam-tu-liem/to-dan-van-xuan-phuong.md"]
    assert problems[0]["severity"] == "warning" and "exemplar" in problems[0]["hint"]


def test_reference_to_an_entry_of_the_wrong_kind_still_fails(project: Path):
    event = project / "content/events/hoi-thi-mau-2024.md"
    event.write_text(event.read_text("utf-8").replace("recipient: to-dan-van-xuan-phuong", "recipient: hoi-thi-mau-2024"), "utf-8")
    model = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    model.write_text(model.read_text("utf-8").replace("event: hoi-thi-mau-2024", "event: to-dan-van-xuan-phuong"), "utf-8")
    result = run_dvk("validate", "--format", "json", cwd=project)
    keys = {(p["path"], p["key"]) for p in _problems(result) if p["severity"] == "error"}
    assert ("content/models/tay-ho/ngay-khong-giay-hen.md", "awards[1].event") in keys, keys


def test_the_corpus_checked_on_two_cores_gives_the_same_report_and_entries(project: Path, monkeypatch):
    """A first run over many files checks them in forked processes (checkpool.py): the
    problems, their order and the entries must be those of one process, and a validator
    that adopted them reuses them on the next run without checking again."""
    from generator.validate import Validator, validate_content

    _install_corpus(project)
    alone = validate_content(project)
    monkeypatch.setenv("DVK_POOL_MIN", "2")
    validator = Validator()
    pooled = validator.run(project, workers=2)
    assert validator.checks == pooled.file_count > 40  # all checked in the pool, adopted here
    assert [p.format() for p in pooled.problems] == [p.format() for p in alone.problems]
    assert [repr(e) for e in pooled.entries] == [repr(e) for e in alone.entries]
    again = validator.run(project, workers=2)
    assert validator.checks == pooled.file_count  # nothing checked anew
    assert [p.format() for p in again.problems] == [p.format() for p in alone.problems]
