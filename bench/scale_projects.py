"""The three projects bench/scale.py builds from one generated corpus, and their edits.

- dvk: the repository's mkdocs.yml and theme/ with the corpus as content/.
- plain mkdocs-material: one Markdown page per entry (title, summary, the same story)
  in docs/muc/, out of the nav (`not_in_nav`), material theme with its search plugin,
  no dvk plugin.
- Hugo: one page per entry in content/muc/ with the minimal layout in bench/hugo/.

Each project gets the same two changes: one entry's story edited (a marker sentence
appended) and one entry added.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import make_dvk_project  # noqa: E402

from generator.load import split_front_matter  # noqa: E402
from generator.yamlsafe import parse_yaml  # noqa: E402

def material_config(not_in_nav: tuple[str, ...], search: bool = True) -> str:
    """mkdocs.yml of a plain mkdocs-material project: the home page in the nav, the entry
    pages out of it (gitignore-style patterns), with or without the search plugin."""
    plugins = "plugins:\n  - search\n" if search else ""
    patterns = "".join(f"  {pattern}\n" for pattern in not_in_nav)
    return f"""site_name: Dân vận khéo — Hà Nội
docs_dir: docs
site_dir: site
theme:
  name: material
  language: vi
  font: false
{plugins}nav:
  - Trang chủ: index.md
not_in_nav: |
{patterns}"""


MATERIAL_CONFIG = material_config(("/muc/",))

HUGO_CONFIG = """baseURL = "/"
languageCode = "vi"
title = "Dân vận khéo — Hà Nội"
disableKinds = ["taxonomy", "term", "RSS"]
"""


@dataclass(frozen=True)
class Entry:
    """One corpus entry as the peers need it."""

    id: str
    path: Path  # the dvk content file
    title: str
    summary: str
    body: str
    site_path: str  # where dvk publishes it ("mo-hinh/<id>/")


@dataclass
class Projects:
    root: Path
    dvk: Path
    material: Path
    hugo: Path
    entries: list[Entry]

    @property
    def edited(self) -> Entry:
        """The entry every project edits: the first model, always the same for a given N."""
        return next(e for e in self.entries if "/models/" in e.path.as_posix())


def read_entries(content: Path) -> list[Entry]:
    entries = []
    for path in sorted(content.rglob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        meta, _ = parse_yaml(parts[0], parts[2])
        root = {"model": "mo-hinh", "exemplar": "dien-hinh"}.get(str(meta.get("kind", "")), "su-kien")
        entries.append(Entry(path.stem, path, str(meta["title"]), str(meta["summary"]), parts[1], f"{root}/{path.stem}/"))
    return entries


# Trees of an earlier run, renamed out of the way and deleted once every build is timed.
# This disk is ext4 without a journal: for a minute after a file is deleted (six while its
# inode table is not yet written back), ext4 does not reuse its inode (recently_deleted()
# in fs/ext4/ialloc.c), and a new file's inode is found by scanning past all of them. A
# cold build started just after deleting the last run's 10,000-entry trees spent most of
# its kernel time in that scan (perf: 74 %; creating a file took 0.2-0.6 ms instead of
# 0.03 ms), so its time depended on what was deleted before it.
SET_ASIDE: list[Path] = []


ASIDE_MARK = ".old-"


def set_aside(path: Path) -> None:
    """Rename `path` out of the way now; remove_set_aside() deletes it after the timing."""
    if path.exists():
        aside = path.with_name(f".{path.name}{ASIDE_MARK}{time.time_ns()}")
        path.rename(aside)
        SET_ASIDE.append(aside)


def adopt_set_aside(folder: Path) -> None:
    """Trees an interrupted run set aside in `folder` (the run deletes them at its end)."""
    if folder.is_dir():
        SET_ASIDE.extend(path for path in sorted(folder.iterdir()) if path.name.startswith(".") and ASIDE_MARK in path.name)


def remove_set_aside() -> None:
    while SET_ASIDE:
        shutil.rmtree(SET_ASIDE.pop(), ignore_errors=True)


def make_projects(size: int, root: Path) -> Projects:
    """Fresh projects for `size` entries under root (an earlier run's set aside first)."""
    set_aside(root)
    dvk = make_dvk_project(root / "dvk", size)
    entries = read_entries(dvk / "content")
    material = root / "material"
    (material / "docs" / "muc").mkdir(parents=True)
    (material / "mkdocs.yml").write_text(MATERIAL_CONFIG, encoding="utf-8")
    (material / "docs" / "index.md").write_text("# Dân vận khéo — Hà Nội\n\nCác mô hình, điển hình và sự kiện.\n", encoding="utf-8")
    hugo = root / "hugo"
    (hugo / "content" / "muc").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    shutil.copytree(REPO / "bench" / "hugo" / "layouts", hugo / "layouts")
    (hugo / "content" / "_index.md").write_text('---\ntitle: "Dân vận khéo — Hà Nội"\n---\nCác mô hình, điển hình và sự kiện.\n', encoding="utf-8")
    for entry in entries:
        write_peer_pages(material, hugo, entry)
    return Projects(root, dvk, material, hugo, entries)


def write_peer_pages(material: Path, hugo: Path, entry: Entry) -> None:
    write_material_page(material, entry)
    write_hugo_page(hugo, entry)


def write_material_page(material: Path, entry: Entry) -> None:
    text = f"# {entry.title}\n\n{entry.summary}\n\n{entry.body.strip()}\n"
    (material / "docs" / "muc" / f"{entry.id}.md").write_text(text, encoding="utf-8")


def write_hugo_page(hugo: Path, entry: Entry) -> None:
    text = f"---\ntitle: {json.dumps(entry.title, ensure_ascii=False)}\n---\n{entry.summary}\n\n{entry.body.strip()}\n"
    (hugo / "content" / "muc" / f"{entry.id}.md").write_text(text, encoding="utf-8")


def edit_entry(projects: Projects, which: str, marker: str) -> None:
    """Append a sentence with `marker` to one entry's story in the project `which`."""
    entry = projects.edited
    target = {
        "dvk": entry.path,
        "material": projects.material / "docs" / "muc" / f"{entry.id}.md",
        "hugo": projects.hugo / "content" / "muc" / f"{entry.id}.md",
    }[which]
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\nĐoạn bổ sung {marker}.\n")


def add_entry(projects: Projects, which: str, new_id: str) -> None:
    """Add one entry (a copy of the edited one under a new id and title) to project `which`."""
    entry = projects.edited
    title = f"{entry.title} (bản mới {new_id})"
    if which == "dvk":
        text = entry.path.read_text(encoding="utf-8").replace(f"title: {json.dumps(entry.title, ensure_ascii=False)}", f"title: {json.dumps(title, ensure_ascii=False)}", 1)
        (entry.path.parent / f"{new_id}.md").write_text(text, encoding="utf-8")
        return
    added = Entry(new_id, entry.path, title, entry.summary, entry.body, "")
    (write_material_page if which == "material" else write_hugo_page)(getattr(projects, which), added)


def page_path(projects: Projects, which: str, entry: Entry) -> str:
    """Site path of an entry's page in project `which`."""
    return entry.site_path if which == "dvk" else f"muc/{entry.id}/"
