"""Vietnamese collation: one key (generator.text.vn_sort_key) checked against ICU's `vi`.

The expected orders are written out by hand (what a Vietnamese reader expects) and then
also checked pair by pair against ICU's own `vi` collator, so neither a hand-written
table nor a misconfigured ICU can pass alone.
"""

from __future__ import annotations

import itertools
import random
import unicodedata

import icu  # a hard dependency: a missing PyICU fails this module, it is never skipped
import pytest

from generator.text import make_collator, normalize_tone_placement, vn_sort_key


def test_icu_is_a_hard_dependency():
    """PyICU is required: generator.text imports it at module level (no silent fallback)."""
    import generator.text as text

    assert text._icu is icu
    collator = make_collator()
    assert collator.getLocale(icu.ULocDataLocaleType.ACTUAL_LOCALE).getLanguage() == "vi"


def _shuffled(items: list[str], seed: int) -> list[str]:
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


# Each list is the order a reader expects.
BATTERY = [
    # titles that start with digits come first, numbers in natural order
    ["2 bước một cửa", "10 công trình vì dân", "30 phút vì dân", "An toàn giao thông", "Ăn sạch sống khỏe", "Âm nhạc đường phố"],
    # the Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
    ["Ba Đình", "Cầu Giấy", "Dịch Vọng", "Đan Phượng", "Đống Đa", "Ê-đê", "Gia Lâm", "Hà Đông"],
    ["Ô Chợ Dừa", "Ông Ích Khiêm", "Ơn nghĩa", "Phú Xuyên", "Quốc Oai"],
    ["Oa Lửa", "Ô Diên", "Ơ Thờ"],
    ["Uy Nỗ", "Ứng Hòa", "Ưu tiên người cao tuổi", "Vân Hồ", "Xuân Phương", "Yên Hòa"],
    # d before đ even when the rest would say otherwise
    ["Dương Nội", "Đa Tốn", "Đường Lâm"],
    # tone marks are a secondary difference: ngang, huyền, hỏi, ngã, sắc, nặng
    ["ma", "mà", "mả", "mã", "má", "mạ", "mai"],
    ["Ho", "Hoa", "Hòa Bình", "Hoài Đức", "Hoàn Kiếm", "Hoàng Mai", "Hồ", "Hổ", "Hộ"],
    # upper and lower case: the letter decides, case only breaks ties
    ["đào tạo", "Đào tạo", "ĐÀO TẠO NGHỀ"],
    ["Phường 2", "Phường 10", "Phường Mỹ Đình 1", "Phường Mỹ Đình 2"],
]


@pytest.mark.parametrize("expected", BATTERY, ids=lambda items: items[0])
def test_battery_sorts_as_a_reader_expects(expected):
    for seed in range(5):
        assert sorted(_shuffled(expected, seed), key=vn_sort_key) == expected


@pytest.mark.parametrize("expected", BATTERY, ids=lambda items: items[0])
def test_battery_agrees_with_icu_vi(expected):
    """Every pair compares as ICU's `vi` collator (numeric option on) compares it."""
    reference = icu.Collator.createInstance(icu.Locale("vi"))
    reference.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    for a, b in itertools.combinations(expected, 2):
        ours = (vn_sort_key(a) > vn_sort_key(b)) - (vn_sort_key(a) < vn_sort_key(b))
        assert ours == reference.compare(a, b), (a, b)


def test_order_without_multi_digit_numbers_is_plain_icu_vi():
    """Numeric collation only changes how digit runs compare; the rest is `vi` unchanged."""
    plain = icu.Collator.createInstance(icu.Locale("vi"))
    words = [w for group in BATTERY for w in group if not any(ch.isdigit() for ch in w)]
    assert sorted(words, key=vn_sort_key) == sorted(words, key=lambda w: plain.getSortKey(normalize_tone_placement(w)))


def test_digits_sort_before_every_letter():
    titles = ["Ánh sáng", "Zalo phường", "Yên Sở", "Đường", "5 không", "100 ngày"]
    assert sorted(titles, key=vn_sort_key)[:2] == ["5 không", "100 ngày"]


@pytest.mark.parametrize("old, new", [("hoà", "hòa"), ("Thuỷ Khuê", "Thủy Khuê"), ("Uỷ ban", "Ủy ban"), ("khoẻ", "khỏe")])
def test_both_tone_placements_are_the_same_word(old, new):
    assert vn_sort_key(old)[0] == vn_sort_key(new)[0]
    # and they sit together among other words
    words = ["hoa", old, "hoá", new, "hoạ"]
    ordered = sorted(words, key=vn_sort_key)
    assert abs(ordered.index(old) - ordered.index(new)) == 1


def test_nfd_input_sorts_like_nfc():
    for word in ["Đống Đa", "Ứng Hòa", "Ơn nghĩa", "Hoàn Kiếm", "Ầu ơ"]:
        assert vn_sort_key(unicodedata.normalize("NFD", word)) == vn_sort_key(word)


def test_equal_keys_still_give_one_order():
    """"hoà"/"hòa" tie on the collation key; the text breaks the tie, so input order never shows."""
    assert sorted(["hoà", "hòa"], key=vn_sort_key) == sorted(["hòa", "hoà"], key=vn_sort_key)
