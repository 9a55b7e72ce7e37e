"""Time `dvk build` on the sample content and on generated corpora; growth must be linear.

    python bench/site_build.py [SIZES...]      # default: sample 1000 3000

Each size is built in bench/out/<size>/ (a project made of the repository's mkdocs.yml
and theme/ plus the content), twice: the full build (with the Pagefind index) and the
Pagefind step alone, so the cost of pages and of search can be told apart. Prints a table
and the seconds per 1,000 entries; the reference (plain material, one nav item per page)
took 41 s for 1,000 pages and grew quadratically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import make_corpus  # noqa: E402


def prepare(size: str) -> tuple[Path, int]:
    project = OUT / size
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "theme", project / "theme")
    (project / "docs").mkdir()
    if size == "sample":
        shutil.copytree(REPO / "content", project / "content")
    else:
        make_corpus(int(size), project)
    entries = sum(1 for _ in (project / "content").rglob("*.md"))
    return project, entries


def timed(args: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{done.stderr[-2000:]}")
    return elapsed


def main(sizes: list[str]) -> int:
    rows = []
    for size in sizes:
        project, entries = prepare(size)
        total = timed([sys.executable, "-m", "generator", "build"], project)
        pagefind = timed([sys.executable, "-m", "pagefind", "--site", "site", "--output-subdir", "pagefind", "--quiet"], project)
        pages = sum(1 for _ in (project / "site").rglob("index.html"))
        rows.append((size, entries, pages, total, pagefind))
        print(f"{size:>7}: {entries:>6} mục, {pages:>6} trang, dựng {total:6.1f} s (trong đó Pagefind ~{pagefind:.1f} s)", flush=True)
    print("\nkích thước  mục     trang   tổng (s)  Pagefind (s)  s / 1.000 mục")
    for size, entries, pages, total, pagefind in rows:
        print(f"{size:>9} {entries:>6} {pages:>7} {total:>9.1f} {pagefind:>12.1f} {1000 * total / max(entries, 1):>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["sample", "1000", "3000"]))
