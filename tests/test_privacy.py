"""The privacy guard: personal phone numbers, ID numbers and e-mails never validate."""

from __future__ import annotations

import pytest

from conftest import run_dvk
from generator.privacy import EMAIL, ID_NUMBER, PHONE, find_personal_data
from generator.validate import validate_content

ENTRY = "content/models/tay-ho/ngay-khong-giay-hen.md"


@pytest.mark.parametrize(
    "text, kind, key",
    [
        ("Liên hệ chị Hoa: 0912 345 678.", PHONE, "0912345678"),
        ("SĐT 0912.345.678", PHONE, "0912345678"),
        ("gọi 0912-345-678 nhé", PHONE, "0912345678"),
        ("số 0987654321", PHONE, "0987654321"),
        ("Zalo +84 912345678", PHONE, "0912345678"),
        ("(+84) 912 345 678", PHONE, "0912345678"),
        ("máy bàn 024 3825 1234", PHONE, "02438251234"),
        ("(024) 3825.1234", PHONE, "02438251234"),
        ("CCCD 001234567890 cấp ngày", ID_NUMBER, "001234567890"),
        ("CMND số 012345678", ID_NUMBER, "012345678"),
        ("số căn cước: 123456789012", ID_NUMBER, "123456789012"),
        ("chứng minh nhân dân 123 456 789", ID_NUMBER, "123456789"),
        ("thư về nguyen.van.a@gmail.com nhé", EMAIL, "nguyen.van.a@gmail.com"),
        ("E-mail: To.Dan.Pho+5@Hanoi.gov.vn", EMAIL, "to.dan.pho+5@hanoi.gov.vn"),
        # written so a reader still sees the number, a search of the raw text did not
        ("số 0912\u2013345\u2013678 (gạch ngang dài)", PHONE, "0912345678"),
        ("số 0913\u00a0456\u00a0789 (khoảng trắng không ngắt)", PHONE, "0913456789"),
        ("SĐT0987654321 dính liền chữ", PHONE, "0987654321"),
        ("gọi 0912 345 678đ", PHONE, "0912345678"),
        ("gọi 0912  345   678 (hai dấu cách)", PHONE, "0912345678"),
        ("gọi 0905 123\n456 (xuống dòng)", PHONE, "0905123456"),
        ("+84 (0) 912 345 678", PHONE, "0912345678"),
        ("số \uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18 (chữ số toàn độ rộng)", PHONE, "0912345678"),
        ("CCCD001099012345", ID_NUMBER, "001099012345"),
        ("CCCD 001\u200b099\u200b012345 (dấu cách không rộng)", ID_NUMBER, "001099012345"),
        ("số 0904&#32;567&#32;890", PHONE, "0904567890"),
        ("Zalo: https://zalo.me/0903123456", PHONE, "0903123456"),
        ("[gọi](tel:0912345678)", PHONE, "0912345678"),
        ("thư ba.b&#64;gmail.com", EMAIL, "ba.b@gmail.com"),
        ("Căn hộ B12 0912 345 678", PHONE, "0912345678"),  # a code before it
        ("diện tích 50m² 0912345678", PHONE, "0912345678"),
        ("gọi 0912     345     678", PHONE, "0912345678"),
        ("gọi 0912 345\n     678", PHONE, "0912345678"),
        ("số 0912\u00ad\u00ad\u00ad\u00ad\u00ad345678", PHONE, "0912345678"),
        ("số \u2070\u2079\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078", PHONE, "0912345678"),
        ("CCCD: 001234567890 - 2021", ID_NUMBER, "001234567890"),
        ("SĐT 0912\n345\n678", PHONE, "0912345678"),  # over three lines
        ("SĐT 09\n12\n345\n678", PHONE, "0912345678"),
        ("số CMND\n123 456 789", ID_NUMBER, "123456789"),  # the ID word on the line before
        ("SĐT \U0001d7ce\U0001d7d7\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3\U0001d7d4\U0001d7d5\U0001d7d6", PHONE, "0912345678"),
        ("số CMND 123.456.789", ID_NUMBER, "123456789"),  # dotted like an amount, but named
        ("tổ 05 0912 345 678", PHONE, "0912345678"),  # a group number, not a CCCD
        ("Phòng 05 024 3825 1234", PHONE, "02438251234"),
        ("Tel.0912345678", PHONE, "0912345678"),  # a dot or slash after a word
        ("ĐT/Zalo: 0912 345 678", PHONE, "0912345678"),
        ("SĐT/0912345678", PHONE, "0912345678"),
    ],
)
def test_personal_numbers_and_emails_are_found(text, kind, key):
    found = find_personal_data(text)
    assert [(f.kind, f.key) for f in found] == [(kind, key)]
    assert key[3:-2] not in found[0].masked  # the message never repeats the whole number


@pytest.mark.parametrize(
    "text",
    [
        "ĐT: 0912345678 - 0987654321",
        "0912345678 \u2013 0987654321",
        "- 0912345678\n- 0987654321",
        "0912345678\n0987654321",
        "0912345678/0987654321",
    ],
)
def test_two_numbers_side_by_side_are_both_found(text):
    """Read together (a dash, a line break between) they were one 20-digit number: none."""
    assert [f.key for f in find_personal_data(text)] == ["0912345678", "0987654321"]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Đường dây nóng: 024 3825 1234\n2 cán bộ trực", ["02438251234"]),  # not 0243825123 42
        ("Liên hệ: 0912345678\n1. Mục tiêu", ["0912345678"]),
        ("các tổ 01 - 02 - 03 - 04 - 05 - 06, tổ 07 - 08 - 09 - 10 - 11", []),
        ("Số phòng 0301 - 0302 - 0303; mã 034 - 567 - 890", []),
        ("tổng 1 000 000 000 đồng, 1 050 000 000 đồng, 2 005 000 000", []),  # thousands by spaces
        ("các xã 01 02 03 04 05 06 07; điểm 08 09 07 10 06 05 09 08", []),
        ("STK 0011 0023 45678", []),
        ("năm 2019\n2020\n2021\n2022\n2023", []),
    ],
)
def test_line_breaks_and_spaced_dashes_do_not_make_numbers(text, keys):
    assert [f.key for f in find_personal_data(text)] == keys


def test_long_digit_runs_are_searched_in_linear_time():
    """Nested repetition split a long digit run every possible way (26 digits took 6 s,
    each two more four times as long): 40 digits would not end. Not a timing claim:
    linear takes milliseconds, the bound only stops a hung run."""
    import time

    for text in ["mã " + "1" * 40 + "/x", "FT" + "1" * 40 + "_a", ".".join(["2020"] * 16) + "/2020", "0912 " * 10_000, "1" * 100_000 + "/x", "1 " * 50_000 + "x"]:
        started = time.perf_counter()
        find_personal_data(text)
        assert time.perf_counter() - started < 2, text[:20]


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2024 mô hình được nhân rộng ra 12 phường.",
        "Quyết định số 1234/QĐ-UBND ngày 05/06/2023 của UBND quận.",
        "Quyết định 5678/QĐ-UBND, Kế hoạch số 123/KH-UBND",
        "Quyết định số 012345678/QĐ-UBND; tỷ lệ 1,012345678; ảnh IMG_20240731_083012345.jpg",
        "Ngày 31/07/2024, ngày 2024-07-31, ngày 31.07.2024, ngày 31-07-2024",
        "Toàn thành phố có 3.124 mô hình với 1.500.000 đồng mỗi mô hình.",
        "Tổng kinh phí 123.456.789 đồng; 1.000.000.000 đồng; 2.500 hộ; 150 triệu đồng",
        "Tỷ lệ 12,5%, diện tích 0,5 ha, 20 - 25 người, giai đoạn 2020 - 2025",
        "Đường dây nóng 1022 và tổng đài 1900 1234",
        "Nhà số 10, ngõ 123, tổ 5, khu 2",
        "Xem https://hanoimoi.vn/tin-0912345678.html và www.hanoi.gov.vn/so-024-38251234",
        "mục (1), (12) và (2023)",
        "Mã hồ sơ H26.12-240731-0001",
        "Số lượt truy cập 100000000 lần",
        "từ 2023 đến 2024, 1990–2000, 20.000m2",
        "Mã số thuế 0101234567-001; hai số 2023 2024 2025 và 1 2 3 4 5 6 7 8 9",
        "Năm 2024 có 456 789 lượt người tham gia.",
    ],
)
def test_years_dates_amounts_codes_and_links_are_not_personal_data(text):
    assert find_personal_data(text) == []


def _edit(project, old: str, new: str) -> None:
    path = project / ENTRY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_phone_in_story_and_email_in_a_field_are_errors_naming_file_line_field(project):
    _edit(project, "Mô hình giúp người dân", "Liên hệ bà Hoa (0912 345 678) — mô hình giúp người dân")
    _edit(project, '    credit: "Ảnh minh họa"', '    credit: "Ảnh: hoa.nguyen@gmail.com"')
    content = validate_content(project)
    story = next(p for p in content.errors if p.key == "nội dung")
    assert story.path.endswith("models/tay-ho/ngay-khong-giay-hen.md")
    lines = (project / ENTRY).read_text(encoding="utf-8").split("\n")
    assert "0912 345 678" in lines[story.line - 1]
    assert "số điện thoại 091*****78" in story.message and "0912 345 678" not in story.format()
    assert "public_contact" in story.hint
    credit = next(p for p in content.errors if p.key == "images[1].credit")
    assert "e-mail h***@gmail.com" in credit.message and "hoa.nguyen@gmail.com" in lines[credit.line - 1]
    assert "ngay-khong-giay-hen" not in {e.id for e in content.entries}  # nothing of it is published


def test_validate_command_fails_on_a_citizen_id(project):
    _edit(project, "Mô hình giúp người dân", "Ông A (CCCD 001088012345) giúp người dân")
    done = run_dvk("validate", cwd=project)
    assert done.returncode == 1
    assert "số CMND/CCCD 001*******45" in done.stdout + done.stderr and "001088012345" not in done.stdout + done.stderr


def test_public_contact_allows_exactly_the_listed_numbers(project):
    _edit(project, "Mô hình giúp người dân", "Đường dây nóng của phường: 024.3825.1234, e-mail motcua.nhattan@hanoi.gov.vn; chị Hoa 0912 345 678. Mô hình giúp người dân")
    _edit(project, "year: 2024\n", 'year: 2024\npublic_contact:\n  - "024 3825 1234"\n  - "Motcua.NhatTan@hanoi.gov.vn"\n')
    content = validate_content(project)
    found = [p for p in content.errors if p.key == "nội dung"]
    assert len(found) == 1 and "091*****78" in found[0].message  # the private mobile is still an error


def test_public_contact_must_hold_one_number_or_email_per_line(project):
    _edit(project, "year: 2024\n", 'year: 2024\npublic_contact:\n  - "đường dây nóng của phường"\n')
    content = validate_content(project)
    assert any(p.key == "public_contact" and "không phải một số điện thoại hay e-mail" in p.message for p in content.errors)


def test_a_number_split_over_two_lines_is_found_in_the_story_and_in_a_block_value(project):
    """Markdown joins the lines of a paragraph and YAML's `|` keeps a line break that the
    page shows as a space: the reader sees one number."""
    _edit(project, "Mô hình giúp người dân", "Liên hệ bà Hoa qua số 0912 345\n678. Mô hình giúp người dân")
    _edit(project, 'summary: "Một ngày trong tuần,', 'summary: |\n  Hỏi tổ trưởng, số 0913 456\n  789.\n  Một ngày trong tuần,')
    _edit(project, 'người dân không phải nhận giấy hẹn."\n', 'người dân không phải nhận giấy hẹn.\n')
    content = validate_content(project)
    story = next(p for p in content.errors if p.key == "nội dung")
    assert "091*****78" in story.message
    lines = (project / ENTRY).read_text(encoding="utf-8").split("\n")
    assert "0912 345" in lines[story.line - 1]  # the paragraph's first line
    assert any(p.key == "summary" and "091*****89" in p.message for p in content.errors)


def test_an_entity_that_decodes_to_a_line_break_does_not_move_the_line(project):
    _edit(project, "Mô hình giúp người dân", "Dòng một&#10;vẫn dòng một.\nDòng hai 0912 345 678. Mô hình giúp người dân")
    story = next(p for p in validate_content(project).errors if p.key == "nội dung")
    assert "0912 345 678" in (project / ENTRY).read_text(encoding="utf-8").split("\n")[story.line - 1]
