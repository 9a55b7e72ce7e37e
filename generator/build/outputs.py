"""What an output is for the cache: a site path and the hash of everything it is made of.

A page's input key joins the build context (dvk's code, the host packages, the
configuration, the theme, the navigation) with the page's own projection of the content:
its Markdown source and the generated HTML blocks, which the render stage makes from
exactly the data the page shows (an entry's record and its related cards; a listing's
cards). Editing an entry's story therefore changes its page and nothing that lists it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .fingerprint import hash_parts


def page_input_key(context: str, uri: str, content: str, blocks: tuple[str, ...], token_prefix: str) -> str:
    """The cache key of one page. The per-run token prefix is replaced by a fixed mark so
    identical content gives the identical key across runs."""
    mark = "\x00block\x00"
    source = content.replace(token_prefix, mark) if token_prefix else content
    return hash_parts(context, uri, source, *blocks)


@dataclass
class BuildStats:
    """Counters a build reports ("rendered 3 pages, reused 11,998"), also read by benchmarks."""

    rendered: int = 0  # pages mkdocs rendered (Markdown + theme)
    reused: int = 0  # pages copied from the cache
    projected: int = 0  # of the reused, pages whose template did not even run (same projection)
    validated: int = 0  # entry files checked again (the rest came from the validation cache)
    started: float = field(default_factory=time.monotonic)
    timings: dict[str, float] = field(default_factory=dict)

    def mark(self, stage: str, since: float) -> float:
        """Record the seconds a stage took; returns now, for the next stage."""
        now = time.monotonic()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - since
        return now

    def timing_line(self) -> str:
        """Seconds per stage, for `mkdocs build -v` and benchmarks ("validate 6.1 s, …")."""
        return ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in self.timings.items())

    def summary(self) -> str:
        """A Vietnamese line for the editor: how much was made anew and how much reused."""
        return f"{self.rendered} trang dựng mới, {self.reused} trang dùng lại từ bộ nhớ đệm"
