"""The position-tracking YAML reader: lines, duplicates, hostile input."""

import pytest

from generator.yamlsafe import YamlProblem, parse_yaml


def test_every_key_and_item_knows_its_line():
    data, duplicates = parse_yaml("title: x\nawards:\n  - title: a\n    level: quan\n  - title: b\n", first_line=2)
    assert data.line_of("title") == 2 and data.line_of("awards") == 3
    assert data["awards"].line_of(1) == 6
    assert data["awards"][0].line_of("level") == 5
    assert duplicates == []


def test_duplicate_keys_are_reported_not_overwritten_silently():
    _, duplicates = parse_yaml("title: a\nyear: 1\ntitle: b\n")
    assert duplicates == [(3, "title")]


def test_dates_stay_text_so_the_schema_decides():
    data, _ = parse_yaml("date: 2024-02-30\nok: 2024-07-31\n")
    assert data["date"] == "2024-02-30" and data["ok"] == "2024-07-31"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a: &x [1, 2]\nb: *x\n", 1, "bí danh"),
        ("a: " + "[" * 100 + "]" * 100, 1, "sâu"),
        ("- " * 60 + "x", 1, "sâu"),
        ("a: !!python/object/apply:os.system ['true']\n", 1, "thẻ YAML"),
        ("a: 1\nb: 'x\n", 2, ""),
    ],
)
def test_hostile_or_broken_yaml_is_a_problem_not_a_crash(text, line, words):
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    assert info.value.line == line
    assert words in info.value.message


def test_billion_laughs_is_refused_quickly():
    lol = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lol += f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    with pytest.raises(YamlProblem):
        parse_yaml(lol)
