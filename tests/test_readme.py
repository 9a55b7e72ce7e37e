"""The README's editor guide documents every key and vocabulary id the schema accepts."""

from conftest import REPO
from generator import schema
from generator.vocab import ALL_VOCABULARIES

README = (REPO / "README.md").read_text("utf-8")


def _keys(specs, prefix=""):
    for spec in specs:
        yield spec.key
        item = spec.type.item if isinstance(spec.type, schema.ListOf) else spec.type
        if isinstance(item, schema.Record):
            yield from _keys(item.specs)


def test_every_schema_key_is_in_the_editor_guide():
    keys = set(_keys(schema.MODEL_SPECS)) | set(_keys(schema.EVENT_SPECS))
    missing = sorted(k for k in keys if f"`{k}`" not in README)
    assert not missing


def test_every_vocabulary_id_is_in_the_editor_guide():
    missing = sorted(t.id for vocab in ALL_VOCABULARIES for t in vocab if f"`{t.id}`" not in README)
    assert not missing


def test_readme_names_the_two_commands():
    assert "bash scripts/setup.sh && .venv/bin/dvk build" in README
    assert "bash scripts/setup.sh --test && .venv/bin/python -m pytest -q" in README
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert "bash scripts/setup.sh --test" in ci and ".venv/bin/python -m pytest -q" in ci


def test_every_book_option_key_is_in_the_readme():
    """The `extra: dvk_book:` keys book/options.py accepts are all documented."""
    from generator.book.options import _CONFIG_KEYS

    missing = sorted(k for k in _CONFIG_KEYS if f"`{k}`" not in README)
    assert not missing
