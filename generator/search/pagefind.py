"""Write the site search (Pagefind's bundle) from search records, without reading the site.

Pagefind's Python API runs its indexer as a service and takes documents directly. Each
record goes in as a tiny HTML document rather than a "custom record" because only HTML
carries weights (data-pagefind-weight), so a match in a title outranks one in a story;
meta and filter values sit in an element Pagefind reads for meta but does not index.
Cost is one short document per entry instead of parsing every written page. The bundle
is put in a fixed order (generator/searchindex.py) before it replaces the old one.
"""

from __future__ import annotations

import asyncio
import shutil
from html import escape
from pathlib import Path

from ..searchindex import SearchIndexError, canonicalise_pagefind
from .records import LANGUAGE, SearchRecord

BUNDLE = "pagefind"  # folder of the bundle inside the site; search.md.j2 and main.html link to it
_BATCH = 256  # documents in flight at once: keeps the service busy without a huge pipe
_ANSWER_LIMIT = 2**30  # bytes of one answer: the whole bundle comes back in one


def record_html(record: SearchRecord) -> str:
    """The document Pagefind indexes for one record: weighted words, then meta and filters.

    Every value is escaped: entry text is data, never markup.
    """
    parts = [f'<html lang="{record.language}"><head><title></title></head><body>']
    for weight, words in record.sections:
        parts.append(f'<p data-pagefind-weight="{weight:g}">{escape(words, quote=False)}</p>')
    parts.append('<div data-pagefind-ignore="index">')
    for name, value in record.meta:
        parts.append(f'<span data-pagefind-meta="{escape(name)}">{escape(value, quote=False)}</span>')
    for name, value in record.filters:
        parts.append(f'<span data-pagefind-filter="{escape(name)}">{escape(value, quote=False)}</span>')
    for name, value in record.sort:
        parts.append(f'<span data-pagefind-sort="{escape(name)}">{escape(value, quote=False)}</span>')
    parts.append("</div></body></html>")
    return "".join(parts)


def write_search_index(records: list[SearchRecord], site_dir: Path) -> Path:
    """Index `records` and write the bundle to site_dir/pagefind (replaced whole); return it."""
    target = Path(site_dir) / BUNDLE
    try:
        asyncio.run(_write(records, target))
    except SearchIndexError:
        raise
    except Exception as error:  # the service is a separate binary: missing, killed, refusing
        raise SearchIndexError(f"{type(error).__name__}: {error}") from None
    return target


async def _write(records: list[SearchRecord], target: Path) -> None:
    """Index every record, take the bundle's files from the service and write them ourselves.

    The service's own WriteFiles answers before its last files are flushed, and a service
    stopped then leaves some cut short (pagefind.js at 32 KiB, an empty
    pagefind-entry.json); files handed over in the answer are whole by construction.
    """
    config = {"force_language": LANGUAGE, "keep_index_url": False, "write_playground": False}
    service = await _prompt_service_class()().launch()
    try:
        index = await service.create_index(config)
        for start in range(0, len(records), _BATCH):
            # sent in order (the service handles its input in order), answered as they come
            await asyncio.gather(*(index.add_html_file(content=record_html(record), url=record.url) for record in records[start : start + _BATCH]))
        files = await index.get_files()
    finally:
        await service.close()
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    for file in files:
        path = staging / _bundle_path(file["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file["content"])
    canonicalise_pagefind(staging)  # same records, same bytes (Pagefind's filter order is random)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def _bundle_path(path: str) -> Path:
    """A file's place inside the bundle; never outside it."""
    parts = [part for part in Path(path).parts if part not in ("", ".", "/")]
    if parts and parts[0] == BUNDLE:
        parts = parts[1:]
    if not parts or ".." in parts:
        raise SearchIndexError(f"tệp lạ trong chỉ mục: {path}")
    return Path(*parts)


def _prompt_service_class():
    """Pagefind's service client, reading answers as they arrive and as large as they come.

    The packaged client (pagefind 1.5) sleeps 0.1 s before reading each answer, so
    10,000 documents would take 1,000 s, and reads answers of at most 2 MiB, less than
    the bundle of a large site; this subclass replaces only its start and read loop,
    keeping the package's protocol, binary lookup and index API.
    """
    import base64
    import json
    import os

    from pagefind.service import PagefindService

    class PromptService(PagefindService):
        async def launch(self) -> "PromptService":
            self._backend = await asyncio.create_subprocess_exec(
                self._bin, "--service", cwd=os.getcwd(), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=_ANSWER_LIMIT
            )
            self._poll_task = self._loop.create_task(self._wait_for_responses())
            return self

        async def _wait_for_responses(self) -> None:
            while True:
                output = await self._backend.stdout.readuntil(b",")
                answer = json.loads(base64.b64decode(output[:-1]))
                if answer is None:
                    continue
                message_id = answer.get("message_id")
                payload = answer.get("payload") or {}
                if message_id is None and payload.get("original_message"):
                    message_id = json.loads(payload["original_message"]).get("message_id")
                future = self._responses.get(message_id)
                if future is None or future.done():
                    continue
                if payload.get("type") == "Error":
                    future.set_exception(SearchIndexError(payload.get("message", "")))
                else:
                    future.set_result(payload)

    return PromptService
