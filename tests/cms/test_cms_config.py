"""The Decap config is derived from the schema: every key, vocabulary and place appears,
nothing is declared a second time, and /admin/ builds with or without the bundle."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import schema as S
from generator.cms import admin_options
from generator.cms.config import CmsOptions, build_config, render_config
from generator.cms.site import build_admin_files, make_admin_config_file, render_admin_config
from generator.places import load_places
from generator.text import slugify

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "site-mini"


def _places(root: Path = REPO):
    return load_places(root / "content" / "places.yml", root)


def _config(root: Path = REPO, options: CmsOptions = CmsOptions()) -> dict:
    return yaml.safe_load(render_admin_config(root, _places(root), options))


def _collections_of(config: dict, schema_name: str) -> list[dict]:
    folder = f"content/{schema_name}"
    return [c for c in config["collections"] if c["folder"] == folder or c["folder"].startswith(folder + "/")]


def _walk(specs, fields, path=""):
    """Pairs (spec, Decap field) for every key, nested records included."""
    by_name = {f["name"]: f for f in fields}
    for spec in specs:
        assert spec.key in by_name, f"{path}{spec.key} is missing from the CMS form"
        field = by_name[spec.key]
        yield spec, field
        kind = spec.type.item if isinstance(spec.type, S.ListOf) else spec.type
        if isinstance(kind, S.Record):
            yield from _walk(kind.specs, field["fields"], f"{path}{spec.key}.")


def test_every_schema_key_is_a_field_with_its_label_help_and_required_flag():
    config = _config()
    for name, specs in S.COLLECTIONS.items():
        collections = _collections_of(config, name)
        assert collections, name
        for collection in collections:
            pairs = list(_walk(specs, collection["fields"]))
            assert {f["name"] for f in collection["fields"]} == {s.key for s in specs} | {"body"}
            for spec, field in pairs:
                assert field["label"] == spec.label and field["hint"] == spec.help
                assert field["required"] == spec.required


def test_every_vocabulary_is_a_select_with_its_vietnamese_labels():
    config = _config()
    for name, specs in S.COLLECTIONS.items():
        for spec, field in _walk(specs, _collections_of(config, name)[0]["fields"]):
            if isinstance(spec.type, S.Choice):
                assert field["widget"] == "select"
                assert field["options"] == [{"label": t.label, "value": t.id} for t in spec.type.vocab]


def test_places_are_searchable_selects_over_the_whole_registry():
    places = _places()
    config = _config()
    fields = {f["name"]: f for f in _collections_of(config, "models")[0]["fields"]}
    districts = [o["value"] for o in fields["district"]["options"]]
    wards = [o["value"] for o in fields["ward"]["options"]]
    assert districts == [p.id for p in places.places.values() if p.is_district]
    assert wards == [p.id for p in places.places.values() if not p.is_district]
    ward = next(p for p in places.places.values() if p.district)
    label = next(o["label"] for o in fields["ward"]["options"] if o["value"] == ward.id)
    assert ward.name in label and places.get(ward.district).name in label  # "Phường X (Quận)"


def test_one_collection_per_district_with_the_district_filled_in_and_every_entry_folder_listed(tmp_path):
    root = tmp_path
    (root / "content" / "models" / "xuan-phuong-2025").mkdir(parents=True)
    (root / "content" / "models" / "anh").mkdir()
    (root / "content" / "places.yml").write_bytes((MINI / "content" / "places.yml").read_bytes())
    config = _config(root)
    places = _places(root)
    by_folder = {c["folder"]: c for c in config["collections"]}
    for district in places.districts():
        collection = by_folder[f"content/models/{district.id}"]
        assert district.name in collection["label"]
        assert next(f for f in collection["fields"] if f["name"] == "district")["default"] == district.id
    assert "content/models/xuan-phuong-2025" in by_folder  # a post-2025 ward's folder
    assert "content/models/anh" not in by_folder  # a photo folder is not a collection
    assert "content/models" in by_folder and "content/events" in by_folder
    assert all("path" not in c for c in config["collections"]), "a path template would let decap-server move whole folders"


def test_ids_follow_the_slug_rule_and_photos_go_next_to_the_entry():
    config = _config()
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert slugify("Đống Đa") == "dong-da"  # the rule Decap's clean_accents must match (browser test)
    for collection in config["collections"]:
        assert collection["slug"] == "{{slug}}"
        assert collection["media_folder"] == collection["public_folder"] == "anh"
    assert config["locale"] == "vi"


def test_the_config_is_deterministic_and_names_no_other_host():
    text = render_admin_config(REPO, _places(), CmsOptions())
    assert text == render_admin_config(REPO, _places(), CmsOptions())
    assert not re.search(r"https?://\w", text), "no URL of another host (no CDN, no remote media library)"
    local = render_config(build_config(_places(), CmsOptions(local_backend=True, local_port=9123)))
    assert yaml.safe_load(local)["local_backend"] == {"url": "http://localhost:9123/api/v1"}


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML without libyaml: one emitter only")
def test_the_config_text_is_the_same_from_either_yaml_emitter():
    """render_config uses libyaml's emitter where PyYAML has it: Decap must get the text the
    pure-Python emitter writes (quoting, escapes, Vietnamese left as it is), whichever the
    machine has."""
    config = build_config(_places(), CmsOptions())
    config["collections"][0]["label"] = "Mô hình: \"hoà\" 'x' #1 - [a] {b} & *c ? \u00a0\u200b\ttab"
    text = render_config(config)
    plain = yaml.dump(config, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    assert text.split("\n", 1)[1] == plain
    assert yaml.safe_load(text)["collections"][0]["label"] == config["collections"][0]["label"]


def test_dvk_edit_switches_the_local_backend_on(monkeypatch):
    monkeypatch.setenv("DVK_CMS_LOCAL_PORT", "8099")
    options = admin_options({"name": "gitlab", "repo": "so/dvk", "auth_type": "pkce", "app_id": "x"}, True, "content", "")
    config = build_config(_places(), options)
    assert config["local_backend"]["url"].endswith(":8099/api/v1")
    assert config["backend"]["auth_type"] == "pkce" and config["publish_mode"] == "editorial_workflow"


def test_admin_without_the_bundle_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("DVK_NODE_DIR", str(tmp_path / "nothing"))
    files, missing = build_admin_files(REPO, _places(), CmsOptions())
    assert missing and "scripts/setup.sh" in missing
    page = next(f.content for f in files if f.uri == "admin/index.html")
    assert "bash scripts/setup.sh" in page and "<script" not in page
    assert {f.uri for f in files} == {"admin/index.html", "admin/config.yml"}


def test_cms_config_command_prints_what_the_build_publishes(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "generator", "cms-config"], cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == render_admin_config(REPO, _places(), CmsOptions())


def test_the_build_makes_the_config_once_for_the_same_places_options_and_folders(tmp_path, monkeypatch):
    """A second of YAML on every build otherwise; a new district folder or other places make it anew."""
    import generator.cms.site as site

    project = tmp_path / "proj"
    shutil.copytree(MINI, project)
    cache = tmp_path / "cache"
    made = []
    render = site.render_config
    monkeypatch.setattr(site, "render_config", lambda config: made.append(1) or render(config))
    first = make_admin_config_file(project, _places(project), CmsOptions(), cache=cache)
    again = make_admin_config_file(project, _places(project), CmsOptions(), cache=cache)
    assert first.content == again.content == render_admin_config(project, _places(project), CmsOptions()) and len(made) == 2  # 2: the reference
    (project / "content" / "models" / "quan-moi").mkdir()
    (project / "content" / "models" / "quan-moi" / "a.md").write_text("---\n---\n", encoding="utf-8")
    moved = make_admin_config_file(project, _places(project), CmsOptions(), cache=cache)
    assert len(made) == 3 and moved.content == render_admin_config(project, _places(project), CmsOptions())
    assert len(list(cache.glob("config-*.yml"))) == 1
