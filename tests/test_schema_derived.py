"""One declaration: every artefact derived from schema.py follows it, a new key included.

The records, the validator, `dvk new`, the JSON Schema, the facts on entry pages and in the
book, and the README's field tables must all show a key as soon as the spec declares it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, run_dvk, write
from generator import cli, docs, model, newentry, validate
from generator import schema as S
from generator.facts import list_facts
from generator.render import render_site
from generator.derive import derive_site

KIND_OF = {"models": "model", "events": "event"}


def _nested_keys(specs, prefix=""):
    """(path, spec) for every key, nested records included: "awards.level"."""
    for spec in specs:
        yield prefix + spec.key, spec
        item = spec.type.item if isinstance(spec.type, S.ListOf) else spec.type
        if isinstance(item, S.Record):
            yield from _nested_keys(item.specs, prefix + spec.key + ".")


def _json_property(schema: dict, path: str) -> dict:
    node = schema
    for key in path.split("."):
        if node.get("type") == "array":
            node = node["items"]
        node = node["properties"][key]
    return node


@pytest.mark.parametrize("collection", sorted(S.COLLECTIONS))
def test_every_key_is_in_the_json_schema_with_its_label(collection):
    schema = S.json_schema(collection)
    for path, spec in _nested_keys(S.COLLECTIONS[collection]):
        prop = _json_property(schema, path)
        assert prop["title"] == spec.label, path
        if isinstance(spec.type, S.Choice):
            assert prop["enum"] == spec.type.vocab.ids()


def test_exemplar_requirement_is_in_the_json_schema():
    conditions = S.json_schema("models")["allOf"]
    assert {"if": {"properties": {"kind": {"const": "exemplar"}}, "required": ["kind"]}, "then": {"required": ["subject"]}} in conditions


@pytest.mark.parametrize("kind", ["model", "exemplar", "event"])
def test_dvk_new_template_has_every_key_of_its_kind(kind):
    text = newentry.render_template(kind, {})
    for spec in S.COLLECTIONS[S.collection_of(kind)]:
        if spec.applies_to(kind):
            assert f"{spec.key}:" in text and f"# {spec.label}" in text, spec.key
        else:
            assert f"{spec.key}:" not in text, spec.key


def test_readme_field_tables_match_the_schema():
    """Fails when README drifts from schema.py: run `dvk docs --write`."""
    readme = (REPO / "README.md").read_text("utf-8")
    assert docs.list_sections(readme) == ["models", "models.awards", "events"]
    assert docs.update_readme(readme) == readme, "README.md is stale: run `dvk docs --write`"


def test_dvk_docs_reports_a_stale_readme_and_rewrites_it(tmp_path):
    readme = write(tmp_path / "README.md", "# X\n\n<!-- dvk:fields events -->\n| cũ |\n<!-- /dvk:fields -->\n\nCuối.\n")
    stale = run_dvk("docs", cwd=tmp_path)
    assert stale.returncode == 1 and "dvk docs --write" in stale.stderr
    assert run_dvk("docs", "--write", cwd=tmp_path).returncode == 0
    text = readme.read_text("utf-8")
    assert "| cũ |" not in text and "`organizer`" in text and text.endswith("Cuối.\n")
    assert run_dvk("docs", cwd=tmp_path).returncode == 0


def test_facts_follow_the_spec_labels_on_the_page_and_in_the_book(project: Path):
    content = validate.validate_content(project)
    assert not content.errors
    site = derive_site(content.entries, content.places)
    pages = {p.path: p for p in render_site(site).pages}
    for entry in content.entries:
        facts = list_facts(entry, content.places)
        declared = [s for s in (S.EVENT_SPECS if entry.is_event else S.MODEL_SPECS) if s.fact and s.applies_to(entry.kind.id)]
        shown = {f.key for f in facts}
        for spec in declared:
            value = getattr(entry, spec.key)
            if value and not isinstance(spec.type, S.PlaceRef):
                assert spec.key in shown, (entry.id, spec.key)
        page = next(p for p in pages.values() if p.source == entry.path)
        for fact in facts:
            assert f"<dt>{fact.label}</dt>" in page.markdown, (entry.id, fact.label)


def _extra_spec() -> S.Spec:
    return S.Spec("contact", S.Text(120), "Liên hệ công khai", "Số điện thoại đơn vị đồng ý công bố.", True, "024 3333 4444", fact="text")


@pytest.fixture
def extra_key(monkeypatch):
    """The schema with one more required key on models, as another change would add it."""
    specs = S.MODEL_SPECS + (_extra_spec(),)
    monkeypatch.setattr(S, "MODEL_SPECS", specs)
    monkeypatch.setitem(S.COLLECTIONS, "models", specs)
    monkeypatch.setattr(validate, "Model", model.make_record_class("Model", specs, model._ModelBase, False))
    return specs


def test_a_key_added_to_the_spec_reaches_every_artefact(extra_key, project: Path):
    spec = extra_key[-1]
    schema = S.json_schema("models")
    assert schema["properties"]["contact"]["title"] == spec.label and "contact" in schema["required"]
    assert "contact:" in newentry.render_template("model", {}) and f"# {spec.label} (bắt buộc)" in newentry.render_template("model", {})
    args = cli.build_parser().parse_args(["new", "model", "--contact", "0243"])
    assert args.contact == "0243"
    assert "| `contact` | có | **Liên hệ công khai**." in docs.render_table("models")

    entry_file = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    missing = validate.validate_content(project)
    assert any(p.key == "contact" and p.path.endswith("ngay-khong-giay-hen.md") for p in missing.errors)
    for path in (project / "content/models").rglob("*.md"):
        # a phone number is published only when listed in public_contact (privacy guard)
        path.write_text(path.read_text("utf-8").replace("\ntitle:", '\ncontact: "024 3333 4444"\npublic_contact: ["024 3333 4444"]\ntitle:', 1), "utf-8")
    content = validate.validate_content(project)
    assert not content.errors, [p.format() for p in content.errors]
    entry = next(e for e in content.entries if e.path.endswith(entry_file.name))
    assert entry.contact == "024 3333 4444"
    assert ("Liên hệ công khai", "024 3333 4444") in [(f.label, f.text) for f in list_facts(entry, content.places)]


def test_generated_records_pickle_for_a_process_pool(project: Path):
    """Records built from the schema must cross process boundaries (render pool, disk cache)."""
    import pickle

    content = validate.validate_content(project)
    for entry in content.entries:
        copy = pickle.loads(pickle.dumps(entry))
        assert copy == entry and type(copy) is type(entry)
