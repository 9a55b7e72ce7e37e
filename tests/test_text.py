"""Vietnamese text rules that decide ids, slugs, search and sort order."""

import unicodedata

import pytest

from generator.text import (
    fold,
    format_date,
    format_number,
    normalize_tone_placement,
    slugify,
    uses_new_tone_placement,
    uses_old_tone_placement,
    vn_sort_key,
)


@pytest.mark.parametrize(
    "name, slug",
    [("Đống Đa", "dong-da"), ("Tây Hồ", "tay-ho"), ("Hoà Bình", "hoa-binh"), ("Hòa Bình", "hoa-binh"),
     ("Nam Từ Liêm", "nam-tu-liem"), ("  “30 phút vì dân”! ", "30-phut-vi-dan"), ("Thuỷ", "thuy")],
)
def test_slugify_keeps_d_and_drops_marks(name, slug):
    assert slugify(name) == slug


def test_slugify_of_nfd_input_equals_nfc():
    assert slugify(unicodedata.normalize("NFD", "Định Công")) == "dinh-cong"


def test_fold_maps_both_tone_placements_and_d():
    assert fold("Dân vận khéo Tây Hồ") == "dan van kheo tay ho"
    assert fold("hoà giải") == fold("hòa giải") == "hoa giai"
    assert fold("ĐỊNH CÔNG") == "dinh cong"


def test_fold_of_decomposed_and_stacked_marks_matches_the_reference_rule():
    """fold works character by character through a table; it must equal NFD + drop marks."""
    import unicodedata

    def reference(text):
        text = unicodedata.normalize("NFD", text.lower())
        return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").replace("đ", "d")

    samples = ["Nguyễn Thị Hằng", unicodedata.normalize("NFD", "Thuỷ Khuê, Đống Đa"), "o\u0302\u0301 ê\u0323", "ﬁ Ǆ İstanbul", "Quỹ 30 phút vì dân", "Ωμέγα"]
    for text in samples:
        assert fold(text) == reference(text), text


def test_tone_placement_normalises_only_syllable_final_pairs():
    assert normalize_tone_placement("hoà giải, thuỷ lợi, Uỷ ban") == "hòa giải, thủy lợi, Ủy ban"
    assert normalize_tone_placement("hoàn thành") == "hoàn thành"  # "oàn" has one placement
    assert uses_old_tone_placement("Uỷ ban") and not uses_new_tone_placement("Uỷ ban")
    assert uses_new_tone_placement("Ủy ban") and not uses_old_tone_placement("Ủy ban")
    assert not uses_new_tone_placement("quý")
    assert normalize_tone_placement("Quỹ quý") == "Quỹ quý"
    assert not uses_old_tone_placement("quý") and not uses_old_tone_placement("Quỹ")


def test_tone_placement_finds_every_pair_at_every_edge_of_a_word():
    """Each of the 45 pairs (oa, oe, uy in three cases, five marks), alone, after a letter, before one, after q."""
    from generator.text import _TONE_MAP

    for old, new in _TONE_MAP.items():
        for text, whole in ((old, True), (f"h{old}", True), (f"{old}n", False), (f"q{old}", False), (f"Q{old}", False), (f"{old} x", True), (f"1{old}.", True)):
            assert uses_old_tone_placement(text) is whole, text
            assert uses_new_tone_placement(text.replace(old, new)) is whole, text
            assert normalize_tone_placement(text) == (text.replace(old, new) if whole else text), text
            assert not uses_old_tone_placement(text.replace(old, new)), text


def test_vietnamese_sort_order():
    names = ["Ô Chợ Dừa", "Đống Đa", "Ba Đình", "Cầu Giấy", "Dịch Vọng", "Ứng Hòa", "Uy Nỗ", "An Khánh", "Ân Thi"]
    assert sorted(names, key=vn_sort_key) == [
        "An Khánh", "Ân Thi", "Ba Đình", "Cầu Giấy", "Dịch Vọng", "Đống Đa", "Ô Chợ Dừa", "Uy Nỗ", "Ứng Hòa"
    ]


def test_numbers_and_dates_as_vietnamese_write_them():
    import datetime as dt

    assert format_number(3124) == "3.124"
    assert format_number(1234567) == "1.234.567"
    assert format_date(dt.date(2024, 7, 31)) == "31/07/2024"
