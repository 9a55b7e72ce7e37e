"""An entry's open-data pieces, kept from one build to the next by the entry's digest.

At 10,000 entries the open data (entries.json and .csv, events, one CSL-JSON file per
entry) took two CPU seconds to serialise on every build, one edit or not: the background
run a one-edit build waited for. Each piece depends on its entry and on what the memo's
`context` names (places, site URL and name, dvk's code) and nothing else, so a piece is
made again only for an entry whose digest (render/projection.own_digest: every field,
story included) is new. `dvk build` keeps the memo in a file under its cache, `dvk serve`
in memory; a missing or foreign file is an empty memo.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

from ..render.projection import own_digest


class EntryMemo:
    """Pieces by (entry digest, piece name) for one context; `used` is what a run asked for."""

    def __init__(self, context: str, pieces: dict | None = None):
        self.context = context
        self.pieces: dict[tuple[str, str], object] = pieces or {}
        self.used: dict[tuple[str, str], object] = {}
        self.made = 0

    def get(self, entry, name: str, make: Callable[[], object]):
        key = (own_digest(entry), name)
        found = self.pieces.get(key)
        if found is None:
            found = make()
            self.made += 1
        self.used[key] = found
        return found

    def keep_used(self) -> bool:
        """Forget the pieces this run did not use; whether anything changed (worth saving)."""
        changed = self.made > 0 or len(self.used) != len(self.pieces)
        self.pieces, self.used, self.made = self.used, {}, 0
        return changed


def read_memo(path: Path, context: str) -> EntryMemo:
    try:
        with open(path, "rb") as stream:
            found, pieces = pickle.load(stream)
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign file is no memo
        return EntryMemo(context)
    return EntryMemo(context, pieces if found == context and isinstance(pieces, dict) else None)


def save_memo(path: Path, memo: EntryMemo, unsaved_max: int = 0) -> None:
    """Write the pieces this run used, when they differ from what was read (atomically).
    `unsaved_max`: up to this many pieces made anew (or 1 % of those read) are left out of
    the file rather than writing it whole; the next run makes them again."""
    from ..build.cache import write_atomic

    read, made = len(memo.pieces), memo.made
    if not memo.keep_used():
        return
    if unsaved_max and read and made <= max(unsaved_max, read // 100) and len(memo.pieces) >= read // 2:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps((memo.context, memo.pieces), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # no memo this time: the next build makes the pieces again
