"""Decap CMS's `admin/config.yml`, derived from the schema (never written twice).

Every key of `schema.COLLECTIONS` becomes a Decap field: `Choice` a select with the
vocabulary's Vietnamese labels, `PlaceRef` a searchable select over content/places.yml,
`ListOf`/`Record` list widgets, `ImagePath` an image upload into the entry's own `anh/`
folder, `EntryRef` to an event a relation widget. What Decap cannot express (one of
district/ward, a ward inside its district, keys only for exemplars, the figures map) is
left to `dvk validate`, which the build runs on every save; `UNEXPRESSED` lists it so the
README and the tests name the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .. import schema as S
from ..places import PlaceRegistry
from ..vocab import KINDS

MEDIA_DIR = "anh"  # an entry's photos live in anh/ next to it (the sample content does so)
LOCAL_BACKEND_PORT = 8081  # decap-server's default
DATE_FORMAT = "YYYY-MM-DD"  # moment.js tokens: what the file stores
DATE_SHOWN = "DD/MM/YYYY"  # what the editor sees

UNEXPRESSED = {
    "place": "cần ít nhất một trong district/ward, và phường phải thuộc quận đã ghi",
    "only_for": "khóa chỉ dành cho điển hình (subject, position) và subject bắt buộc với điển hình",
    "figures": "số liệu của sự kiện (các cặp tên: số) — không có ô nhập kiểu bảng tên→số; sửa trong tệp, CMS giữ nguyên khi lưu",
    "refs": "id trong related và recipient phải là mục có thật",
    "images": "ảnh phải đọc được và không quá lớn",
}


@dataclass(frozen=True)
class CmsOptions:
    """What differs between sites: the git backend, and local editing through decap-server."""

    backend: dict = field(default_factory=lambda: {"name": "github", "repo": "", "branch": "main"})
    local_backend: bool = False
    local_port: int = LOCAL_BACKEND_PORT
    editorial_workflow: bool = False
    content_dir: str = "content"
    site_url: str = ""


def build_config(places: PlaceRegistry, options: CmsOptions = CmsOptions(), folders: tuple[str, ...] = ()) -> dict:
    """The whole Decap configuration as plain data (dumped by `render_config`).

    `folders` are the existing subfolders of each split collection (content/models/<name>),
    so entries filed under a folder that is not a district (a post-2025 ward) are listed too.
    """
    config: dict = {"backend": dict(options.backend)}
    if options.local_backend:
        config["local_backend"] = {"url": f"http://localhost:{options.local_port}/api/v1"}
    if options.editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    config["locale"] = "vi"
    if options.site_url:
        config["site_url"] = options.site_url
    # a global media folder is mandatory; entries override it with their own anh/
    config["media_folder"] = f"{options.content_dir}/{MEDIA_DIR}"
    config["public_folder"] = MEDIA_DIR
    # ids follow generator/text.py slugify: ASCII, no diacritics, đ -> d (see tests/cms)
    config["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    collections = []
    for name in S.COLLECTIONS:
        # one field list per schema collection, shared by its split collections: the YAML
        # then holds each list of ~650 places once, the others are aliases to it
        fields = [build_field(spec, places) for spec in S.COLLECTIONS[name]] + [BODY_FIELD]
        if split_by_district(name):
            collections += build_district_collections(name, fields, places, options, folders)
        else:
            collections.append(build_collection(name, name, S.COLLECTION_TITLES[name], f"{options.content_dir}/{name}", fields))
    config["collections"] = collections
    return config


def split_by_district(name: str) -> bool:
    """Collections whose entries are filed in a folder per (former) district: models."""
    return any(k in KINDS.ids() for k in S.KINDS_OF[name])


def build_district_collections(name: str, fields: list[dict], places: PlaceRegistry, options: CmsOptions, folders: tuple[str, ...]) -> list[dict]:
    """One small collection per district folder (content/models/tay-ho/…), then one per
    other existing folder, then the top folder for entries of post-2025 wards.

    A folder per collection, and no `path` template: Decap never moves an existing file
    (a move in decap-server carries every file of the old folder along)."""
    base = f"{options.content_dir}/{name}"
    title = S.COLLECTION_TITLES[name]
    out = []
    districts = [p for p in places.places.values() if p.is_district]
    for place in districts:
        out.append(build_collection(f"{name}-{place.id}", name, f"{title} — {place.title}", f"{base}/{place.id}", fields, district=place.id))
    known = {p.id for p in districts}
    for folder in sorted(set(folders) - known):
        unit = places.get(folder)
        label = unit.title if unit else folder
        out.append(build_collection(f"{name}-{folder}", name, f"{title} — {label}", f"{base}/{folder}", fields))
    out.append(build_collection(name, name, f"{title} — phường, xã từ 1/7/2025", base, fields))
    return out


def build_collection(name: str, schema_name: str, label: str, folder: str, fields: list[dict], district: str = "") -> dict:
    """One folder collection with every key of the schema collection as a field; in a
    district's collection the district is filled in (a copy of that one field)."""
    specs = S.COLLECTIONS[schema_name]
    if district:
        keys = {s.key for s in S.place_specs(specs) if s.type.role == "district"}
        fields = [dict(item, default=district) if item["name"] in keys else item for item in fields]
    return {
        "name": name,
        "label": label,
        "label_singular": S.COLLECTION_TITLES[schema_name],
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": "{{slug}}",
        "identifier_field": specs_title_key(specs),
        "summary": "{{" + specs_title_key(specs) + "}}",
        "editor": {"preview": False},  # the preview is the real site (dvk edit), not Decap's
        "media_folder": MEDIA_DIR,
        "public_folder": MEDIA_DIR,
        "sortable_fields": [specs_title_key(specs), *[s.key for s in specs if isinstance(s.type, (S.Year, S.Date))]],
        "view_filters": build_view_filters(specs),
        "view_groups": build_view_groups(specs),
        "fields": fields,
    }


def specs_title_key(specs: tuple[S.Spec, ...]) -> str:
    """The first required text key names the entry (title)."""
    return next(s.key for s in specs if s.required and isinstance(s.type, S.Text))


BODY_FIELD = {"name": "body", "label": "Nội dung", "widget": "markdown", "modes": ["raw", "rich_text"],
              "hint": "Viết bằng Markdown: ## Tiêu đề mục, đoạn văn cách nhau một dòng trống.", "required": False}


def build_view_filters(specs: tuple[S.Spec, ...]) -> list[dict]:
    """One filter per term of each required vocabulary key (kind, field, level, event type)."""
    return [
        {"label": f"{spec.label}: {term.label}", "field": spec.key, "pattern": f"^{term.id}$"}
        for spec in specs
        if isinstance(spec.type, S.Choice) and (spec.required or spec.fact == "link")
        for term in spec.type.vocab
    ]


def build_view_groups(specs: tuple[S.Spec, ...]) -> list[dict]:
    """Group the entry list by place and by the scalar keys shown linked on the site."""
    keys = [s for s in specs if isinstance(s.type, S.PlaceRef) or (s.fact == "link" and S.is_scalar(s))]
    return [{"label": spec.label, "field": spec.key} for spec in keys]


def build_field(spec: S.Spec, places: PlaceRegistry) -> dict:
    """A Decap field for one schema key (its label, help and required flag come from the Spec)."""
    out = {"name": spec.key, "label": spec.label, "hint": spec.help, "required": spec.required}
    out.update(build_widget(spec.type, places, spec))
    if isinstance(spec.type, S.Choice) and spec.type.vocab.ids() in S.KINDS_OF.values() and spec.example is not None:
        out["default"] = spec.example  # the kind only: every other choice is the editor's to make
    return out


def build_widget(kind: S.Type, places: PlaceRegistry, spec: S.Spec | None = None) -> dict:
    """The widget part of a field: Decap's name for the type and its constraints."""
    if isinstance(kind, S.Text):
        return {"widget": "text" if kind.multiline else "string",
                "pattern": [f"^[\\s\\S]{{1,{kind.max_len}}}$", f"Tối đa {kind.max_len} ký tự."]}
    if isinstance(kind, S.Choice):
        return {"widget": "select", "options": [{"label": t.label, "value": t.id} for t in kind.vocab]}
    if isinstance(kind, S.Flag):
        return {"widget": "boolean"}
    if isinstance(kind, S.Year):
        return {"widget": "number", "value_type": "int", "min": S.YEAR_MIN, "max": S.max_year()}
    if isinstance(kind, S.Date):
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_SHOWN, "time_format": False, "picker_utc": True}
    if isinstance(kind, S.Url):
        return {"widget": "string", "pattern": ["^https?://", "Địa chỉ phải bắt đầu bằng https:// hoặc http://"]}
    if isinstance(kind, S.PlaceRef):
        return {"widget": "select", "options": place_options(places, kind.role)}
    if isinstance(kind, S.EntryRef) and tuple(kind.kinds) == ("event",):
        return {"widget": "relation", "collection": "events", "value_field": "{{slug}}",
                "search_fields": ["title"], "display_fields": ["title"]}
    if isinstance(kind, (S.EntryRef, S.Recipient)):
        return {"widget": "string"}
    if isinstance(kind, S.ImagePath):
        return {"widget": "image", "choose_url": False, "media_library": {"config": {"multiple": False}}}
    if isinstance(kind, S.ListOf):
        return build_list(kind, places)
    if isinstance(kind, S.Record):
        return {"widget": "object", "fields": [build_field(s, places) for s in kind.specs]}
    if isinstance(kind, S.Figures):
        # Decap has no key -> number map widget: the field is kept out of the form (Decap
        # writes keys it does not know back unchanged) and edited in the file
        return {"widget": "hidden"}
    raise TypeError(f"no Decap widget for {type(kind).__name__}")


def build_list(kind: S.ListOf, places: PlaceRegistry) -> dict:
    """A list of records (awards, sources…) or of single values (results, tags, related)."""
    out: dict = {"widget": "list", "max": kind.max_items, "collapsed": False}
    if isinstance(kind.item, S.Record):
        out["fields"] = [build_field(s, places) for s in kind.item.specs]
        first = kind.item.specs[0].key
        out["summary"] = "{{fields." + first + "}}"
    else:
        out["field"] = {"name": "item", "label": "Mục", **build_widget(kind.item, places)}
    return out


def place_options(places: PlaceRegistry, role: str) -> list[dict]:
    """Select options for district or ward, labelled "Phường Nhật Tân (Tây Hồ)" so typing
    any part of the name finds it; ordered as in places.yml."""
    want_district = role == "district"
    out = []
    for place in places.places.values():
        if place.is_district != want_district:
            continue
        label = place.title
        if not want_district:
            parent = places.get(place.district) if place.district else None
            label += f" ({parent.name})" if parent else (f" (từ {place.start:%d/%m/%Y})" if place.start else "")
        out.append({"label": label, "value": place.id})
    return out


def render_config(config: dict) -> str:
    """YAML text, deterministic (key order as built, no line folding)."""
    header = "# Sinh tự động từ generator/schema.py và content/places.yml (dvk cms-config) — đừng sửa tay.\n"
    # libyaml's emitter where PyYAML has it: the same text (checked on the city's config,
    # 325 KB) in a fifth of the time, 0.2 s of every first build's background run
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return header + yaml.dump(config, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
