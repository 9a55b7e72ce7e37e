"""Incremental against clean, at scale: random editor changes on a generated corpus, each
followed by an incremental `dvk build` and a clean build of the same files, compared byte
for byte.

    python bench/differential.py [--entries 400] [--rounds 12] [--seed 1] [--keep DIR]

tests/site/test_incremental.py proves each kind of change once on a small fixture; this
runs them in random order and combination on a corpus of hundreds of entries, where pages
are paginated, many entries share a listing and a change lands among cached neighbours.
Runs of this kind, by hand, found the stale footer date fixed in 91dc0ce (this script's
`date_event_newest` finds it again); the other cases they found are tested in
tests/site/test_incremental.py (nav titles, hooks, precompression turned off) and
tests/build/test_unchanged.py (empty folders, !ENV).
Exit 0 when every round matched, 1 on the first mismatch or failed build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

sys.path.insert(0, str(REPO))

from make_corpus import make_dvk_project  # noqa: E402

from generator.vocab import FIELDS as FIELD_TERMS, LEVELS as LEVEL_TERMS  # noqa: E402

FIELDS = tuple(term.id for term in FIELD_TERMS.terms)
LEVELS = tuple(term.id for term in LEVEL_TERMS.terms)


def build(project: Path, cache: Path) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), DVK_CACHE_DIR=str(cache), NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)  # the content's newest date must be the build date (date_event_newest)
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, env=env, timeout=1800)
    line = next((line for line in done.stdout.splitlines() if line.startswith(("Đã dựng", "Không có gì"))), done.stderr.strip()[-300:])
    return done.returncode, line


def differences(a: Path, b: Path) -> list[str]:
    """Paths under one tree only, or with other bytes."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    left, right = files(a), files(b)
    found = sorted(left ^ right)
    return found + [name for name in sorted(left & right) if not filecmp.cmp(a / name, b / name, shallow=False)]


def wait_for_copies(folder: Path) -> None:
    """A build leaves a spare copy (`cp -al`) running: wait before copying or moving trees."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(path.name.endswith("spare-maker") for path in folder.iterdir()):
        time.sleep(0.2)


# -- the changes: each edits the project in place and says what it did ----------------


def _models(project: Path) -> list[Path]:
    return sorted((project / "content" / "models").rglob("*.md"))


def _replace(path: Path, pattern: str, make) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, make, text, count=1, flags=re.M), encoding="utf-8")


def edit_story(project: Path, rng: random.Random) -> str:
    path = rng.choice(_models(project))
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\n\nĐoạn bổ sung số {rng.randrange(10**6)}.\n")
    return f"story {path.name}"


def edit_title(project: Path, rng: random.Random) -> str:
    path = rng.choice(_models(project))
    _replace(path, r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} (sửa {rng.randrange(1000)})"')
    return f"title {path.name}"


def edit_year(project: Path, rng: random.Random) -> str:
    path = rng.choice(_models(project))
    year = rng.randrange(2016, 2025)
    _replace(path, r"^year: \d+$", lambda m: f"year: {year}")
    return f"year {path.name} → {year}"


def edit_field_or_level(project: Path, rng: random.Random) -> str:
    path = rng.choice(_models(project))
    key, values = rng.choice((("field", FIELDS), ("level", LEVELS)))
    value = rng.choice(values)
    _replace(path, rf"^{key}: \S+$", lambda m: f"{key}: {value}")
    return f"{key} {path.name} → {value}"


def add_entry(project: Path, rng: random.Random) -> str:
    source = rng.choice(_models(project))
    new = source.with_name(f"moi-{rng.randrange(10**6):06d}.md")
    text = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} (bản mới)"', source.read_text(encoding="utf-8"), count=1, flags=re.M)
    new.write_text(text, encoding="utf-8")
    return f"add {new.name}"


def delete_entry(project: Path, rng: random.Random) -> str:
    """Delete a model no other file names (a named one would be a reference error)."""
    everything = sorted((project / "content").rglob("*.md"))
    texts = {path: path.read_text(encoding="utf-8") for path in everything}
    for path in rng.sample(_models(project), k=min(20, len(_models(project)))):
        if not any(path.stem in text for other, text in texts.items() if other != path):
            path.unlink()
            return f"delete {path.name}"
    return "delete: none unreferenced"


def date_event_newest(project: Path, rng: random.Random) -> str:
    """An event dated after everything else: the footer date of every page changes."""
    events = sorted((project / "content" / "events").rglob("*.md"))
    dates = [dt.date.fromisoformat(m) for path in events for m in re.findall(r"^date: (\d{4}-\d\d-\d\d)$", path.read_text(encoding="utf-8"), re.M)]
    newest = max(dates + [dt.date(2025, 1, 1)]) + dt.timedelta(days=1 + rng.randrange(5))
    path = rng.choice(events)
    _replace(path, r"^date: \S+$", lambda m: f"date: {newest.isoformat()}")
    return f"event {path.name} dated {newest}"


def toggle_per_page(project: Path, rng: random.Random) -> str:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    now = "per_page: 24" if "per_page: 48" in text else "per_page: 48"
    path.write_text(re.sub(r"per_page: \d+", now, text, count=1), encoding="utf-8")
    return now


CHANGES = (edit_story, edit_title, edit_year, edit_field_or_level, add_entry, delete_entry, date_event_newest, toggle_per_page)
WEIGHTS = (6, 4, 3, 3, 3, 2, 1, 1)  # stories and titles are what editors change most


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work here and keep the trees (default: a temporary folder)")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="dvk-differential-"))
    rng = random.Random(args.seed)
    project, cache = make_dvk_project(root / "proj", args.entries), root / "cache"
    code, line = build(project, cache)
    print(f"cold: exit {code}, {line}", flush=True)
    if code:
        return 1
    for round_number in range(1, args.rounds + 1):
        changes = rng.choices(CHANGES, weights=WEIGHTS, k=rng.choice((1, 1, 2, 3)))
        said = "; ".join(change(project, rng) for change in changes)
        code, line = build(project, cache)
        wait_for_copies(project)
        clean = root / f"clean-{round_number}"
        clean.mkdir()
        for name in ("content", "docs", "theme", "mkdocs.yml"):
            (shutil.copytree if (project / name).is_dir() else shutil.copy)(project / name, clean / name)
        clean_code, _ = build(clean, root / f"cache-clean-{round_number}")
        wait_for_copies(clean)
        found = differences(project / "site", clean / "site") if code == clean_code == 0 else []
        verdict = "bản dựng lỗi" if code or clean_code else f"khác {len(found)} tệp" if found else "giống bản dựng sạch"
        print(f"{round_number:>3}. {said}: exit {code}/{clean_code}, {line} — {verdict}", flush=True)
        if found or code or clean_code:
            print("\n".join(found[:20]))
            return 1
        shutil.rmtree(clean)
        shutil.rmtree(root / f"cache-clean-{round_number}")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
