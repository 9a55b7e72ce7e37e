"""Build the same content twice, in two separate checkouts, and compare the output byte for byte.

Why: a deploy (rsync, object storage, CDN) and every cache downstream move only files whose
bytes changed; a build that is not reproducible re-uploads and re-downloads everything and
hides real changes. The two copies differ the way two real checkouts do — other absolute
paths (of different lengths), other cache folders, other file modification times — so a
leak of any of those into the output shows up here.

    python scripts/compare_builds.py                  # sample content/, site only
    python scripts/compare_builds.py --book           # site and book PDF
    python scripts/compare_builds.py --content tests/fixtures/site-mini/content --book

Exit 0 when both outputs are identical, 1 when they differ (the differing files are listed),
2 when a build failed.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOOK_PDF = "build/book/sach-dan-van-kheo.pdf"


def make_checkout(target: Path, content: Path, site_url: str | None = None) -> Path:
    """A buildable copy of the project; copies (not copy2) so file times are today's, as after a clone."""
    target.mkdir(parents=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if site_url:  # canonical URLs and a sitemap with lastmod dates: more places for a date to leak
        config = f"site_url: {site_url}\n" + config
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "theme", target / "theme", copy_function=shutil.copy)
    shutil.copytree(REPO / "docs", target / "docs", copy_function=shutil.copy) if (REPO / "docs").is_dir() else (target / "docs").mkdir()
    shutil.copytree(content, target / "content", copy_function=shutil.copy)
    return target


def run_dvk(command: list[str], project: Path, cache: Path) -> subprocess.CompletedProcess:
    """Run `python -m generator …` as an editor would, with the checkout's own cache folder."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "generator", *command], cwd=project, capture_output=True, text=True, env=env, timeout=1800)


def compare_trees(a: Path, b: Path) -> list[str]:
    """Relative paths that exist on one side only or whose bytes differ (sorted)."""
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    found = [f"only in first: {n}" for n in sorted(names_a - names_b)]
    found += [f"only in second: {n}" for n in sorted(names_b - names_a)]
    found += [f"differs: {n}" for n in sorted(names_a & names_b) if not filecmp.cmp(a / n, b / n, shallow=False)]
    return found


def build_twice(content: Path, workdir: Path, book: bool, pause: float = 0.0, site_url: str | None = None) -> tuple[list[str], list[str]]:
    """Build site (and book) in two fresh checkouts; return (differences, build failures)."""
    projects = []
    failures = []
    # different lengths: a path that leaks in shifts every offset after it
    for index, name in enumerate(("a", "second-checkout-with-a-longer-path")):
        if index and pause:
            time.sleep(pause)  # let a second tick by, so a leaked clock shows
        project = make_checkout(workdir / name / "proj", content, site_url)
        cache = workdir / name / f"cache-{index}"
        commands = [["build"]] + ([["book"]] if book else [])
        for command in commands:
            done = run_dvk(command, project, cache)
            if done.returncode != 0:
                failures.append(f"{name}: dvk {' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
        projects.append(project)
    differences = compare_trees(projects[0] / "site", projects[1] / "site")
    if book:
        pdf_a, pdf_b = projects[0] / BOOK_PDF, projects[1] / BOOK_PDF
        if pdf_a.is_file() and pdf_b.is_file() and pdf_a.read_bytes() != pdf_b.read_bytes():
            differences.append(f"differs: {BOOK_PDF}")
    return differences, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=REPO / "content", help="content folder to build (default: the sample content/)")
    parser.add_argument("--book", action="store_true", help="also build the book PDF and compare it")
    parser.add_argument("--keep", action="store_true", help="keep the two checkouts (their path is printed)")
    parser.add_argument("--site-url", default="https://example.gov.vn/dan-van-kheo/", help="site_url put in both copies' mkdocs.yml (sitemap with dates); '' for none")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dvk-compare-"))
    try:
        started = time.monotonic()
        differences, failures = build_twice(args.content.resolve(), workdir, args.book, pause=1.1, site_url=args.site_url or None)
        for failure in failures:
            print(failure, file=sys.stderr)
        for line in differences:
            print(line)
        print(f"{len(differences)} differing file(s); two builds took {time.monotonic() - started:.0f} s" + (f"; kept in {workdir}" if args.keep else ""))
        return 2 if failures else (1 if differences else 0)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
