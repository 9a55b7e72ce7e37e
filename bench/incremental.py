"""Time `dvk build` cold, unchanged and after one edit, against plain mkdocs-material.

    python bench/incremental.py [N ...]        # default: 1000 3000

For each N, in one run: a generated corpus (bench/make_corpus.py) in bench/out/inc-N/
with its own cache (DVK_CACHE_DIR), built
  1. cold (empty cache),
  2. again with nothing changed,
  3. after editing one entry's story (its page only is stale),
  4. after editing one entry's title (its page and the listings that show it);
then plain mkdocs-material on the same entries (one page each, out of the nav, title and
story as Markdown) in bench/out/plain-N/. Prints seconds, pages rendered/reused, peak
RSS of each build process and the ratio to plain material.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import make_dvk_project  # noqa: E402
from scale_projects import material_config  # noqa: E402

PLAIN_CONFIG = material_config(("/*.md", "!/index.md"), search=False)


def run(args: list[str], cwd: Path, cache: Path) -> tuple[float, int, str, float]:
    """(wall seconds, peak RSS in MiB, output, CPU seconds) of one build process.

    CPU seconds (user + system, the process and the ones it waited for)
    are reported too because on a shared machine wall time mostly measures the others.
    """
    import resource

    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    rss = _peak_rss()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{err[-3000:]}")
    return elapsed, rss, out + err, cpu


def _peak_rss() -> int:
    """Largest RSS of any finished child so far (MiB); good enough as a per-run upper bound."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def dvk_project(n: int) -> Path:
    project = OUT / f"inc-{n}"
    shutil.rmtree(project, ignore_errors=True)
    return make_dvk_project(project, n)


def plain_project(dvk: Path, n: int) -> Path:
    """The same entries as plain Markdown pages for mkdocs-material, out of the nav."""
    project = OUT / f"plain-{n}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Dân vận khéo\n", encoding="utf-8")
    for path in sorted((dvk / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---", 2)
        title = re.search(r'^title:\s*"?(.*?)"?$', front, re.M).group(1)
        summary = re.search(r'^summary:\s*"?(.*?)"?$', front, re.M).group(1)
        (project / "docs" / f"{path.stem}.md").write_text(f"# {title}\n\n{summary}\n\n{body}", encoding="utf-8")
    return project


def counts(output: str) -> str:
    found = re.search(r"\((\d+) trang dựng mới, (\d+) trang dùng lại", output)
    return f"{found.group(1)} mới / {found.group(2)} dùng lại" if found else "?"


def edit_one(project: Path, old: str, new: str) -> None:
    entry = sorted((project / "content" / "models").rglob("*.md"))[len(list((project / "content" / "models").rglob("*.md"))) // 2]
    text = entry.read_text(encoding="utf-8")
    if old == "title":
        text = re.sub(r'^title: "', 'title: "Sửa: ', text, count=1, flags=re.M)
    else:
        text = text.rstrip("\n") + "\n\nMột câu mới thêm vào câu chuyện.\n"
    entry.write_text(text, encoding="utf-8")


def main(sizes: list[int]) -> int:
    rows = []
    for n in sizes:
        project = dvk_project(n)
        cache = project / ".cache"
        build = [sys.executable, "-m", "generator", "build"]
        cold = run(build, project, cache)
        same = run(build, project, cache)
        edit_one(project, "story", "")
        story = run(build, project, cache)
        edit_one(project, "title", "")
        title = run(build, project, cache)
        plain = plain_project(project, n)
        material = run([sys.executable, "-m", "mkdocs", "build", "-q"], plain, plain / ".cache")
        rows.append((n, cold, same, story, title, material))
        for label, result in (("cold", cold), ("no change", same), ("story edit", story), ("title edit", title)):
            print(f"N={n:>6} dvk build {label:<11} {result[0]:6.1f} s wall, {result[3]:6.1f} s CPU  ({counts(result[2])})", flush=True)
        print(f"N={n:>6} plain material    {material[0]:6.1f} s wall, {material[3]:6.1f} s CPU", flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\nwall seconds (CPU seconds)\n")
    print("| N | cold | no change | story edit | title edit | plain material | cold ÷ material (wall, CPU) | peak RSS (MiB) |")
    print("|---|---|---|---|---|---|---|---|")
    for n, cold, same, story, title, material in rows:
        cells = " | ".join(f"{r[0]:.1f} ({r[3]:.1f})" for r in (cold, same, story, title, material))
        print(f"| {n} | {cells} | {cold[0] / material[0]:.2f}, {cold[3] / material[3]:.2f} | {cold[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [1000, 3000]))
