"""Benchmark the pure core (load + validate + derive) on generated corpora.

    python bench/validate.py [N ...]        (default: 1000 10000)

For each N: a cold run in a fresh Validator, then a warm run of the same Validator after
one entry was edited (what `mkdocs serve` does on a save). Ratios, not absolute times,
are what to compare: this machine is shared and noisy.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import make_corpus  # noqa: E402

from generator.derive import derive_site  # noqa: E402
from generator.validate import Validator  # noqa: E402


def measure(count: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_corpus(count, root)
        validator = Validator()
        start = time.perf_counter()
        content = validator.run(root)
        derive_site(content.entries, content.places)
        cold = time.perf_counter() - start
        assert not content.errors, content.errors[:3]
        edited = next((root / "content" / "models").rglob("*.md"))
        edited.write_text(edited.read_text("utf-8").replace("summary: ", "summary: Sửa: ", 1), "utf-8")
        start = time.perf_counter()
        content = validator.run(root)
        derive_site(content.entries, content.places)
        warm = time.perf_counter() - start
        return cold, warm, content.file_count


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"{'entries':>8} {'cold s':>8} {'after 1 edit s':>15} {'cold ms/entry':>14}")
    for count in sizes:
        cold, warm, files = measure(count)
        print(f"{files:>8} {cold:>8.2f} {warm:>15.2f} {cold / files * 1000:>14.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
