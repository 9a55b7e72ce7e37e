"""Benchmark the places registry: hand-typed (~200 units) before, generated (~680) after.

    python bench/places.py [--before REV] [--runs N]

REV (default: the merge-base of HEAD and main) is checked out with `git archive` into a
temporary folder; its own code and sample are timed against this tree's. For each side:
reading content/places.yml in-process, `dvk validate` and `dvk build` on a copy of the
sample project (subprocesses, as an editor runs them), medians of N runs, and how many
times one build parses the registry. Ratios matter, not seconds: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROBE = """
import sys, time
sys.path.insert(0, {tree!r})
import generator.places as places
from pathlib import Path
root = Path({project!r})
times = []
for _ in range({runs}):
    start = time.perf_counter()
    registry = places.load_places(root / "content" / "places.yml", root)
    times.append(time.perf_counter() - start)
assert not registry.problems, registry.problems[:3]
calls = []
original = places.parse_yaml
places.parse_yaml = lambda *a, **k: (calls.append(1), original(*a, **k))[1]
from generator.cli import main
assert main(["build", "--root", str(root), "--config", str(root / "mkdocs.yml")]) == 0
print(len(registry.places), sorted(times)[len(times) // 2], len(calls))
"""


def export_tree(rev: str, target: Path) -> Path:
    """The repository at `rev` (tracked files only) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    archive = target / "tree.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target / "tree", filter="data")
    return target / "tree"


def make_project(tree: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "theme", "docs"):
        if (tree / name).exists():
            shutil.copytree(tree / name, target / name)
    (target / "docs").mkdir(exist_ok=True)
    shutil.copy(tree / "mkdocs.yml", target / "mkdocs.yml")
    return target


def timed(args: list[str], cwd: Path, env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return statistics.median(times)


def measure(tree: Path, work: Path, runs: int) -> dict:
    project = make_project(tree, work / "project")
    env = dict(os.environ, PYTHONPATH=str(tree), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1")
    python = sys.executable
    probe = subprocess.run([python, "-c", PROBE.format(tree=str(tree), project=str(project), runs=max(runs, 5))], env=env, capture_output=True, text=True, cwd=project)
    if probe.returncode != 0:
        raise SystemExit(probe.stderr)
    units, read, parses = probe.stdout.split()[-3:]
    return {
        "units": int(units),
        "read": float(read),
        "parses per build": int(parses),
        "validate": timed([python, "-m", "generator", "validate"], project, env, runs),
        "build": timed([python, "-m", "generator", "build"], project, env, runs),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=None, help="revision to compare with (default: merge-base with main)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    before = args.before or subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        old = measure(export_tree(before, Path(tmp) / "before"), Path(tmp) / "before", args.runs)
        new = measure(REPO, Path(tmp) / "after", args.runs)
    print(f"before = {before[:10]}, after = working tree, median of {args.runs} runs (registry read: of {max(args.runs, 5)})")
    print(f"{'':18} {'before':>10} {'after':>10} {'after/before':>13}")
    for key in ("units", "parses per build"):
        print(f"{key:18} {old[key]:>10} {new[key]:>10}")
    for key in ("read", "validate", "build"):
        print(f"{key + ' s':18} {old[key]:>10.3f} {new[key]:>10.3f} {new[key] / old[key]:>13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
