"""Write the site search (Pagefind's bundle) from search records, without reading the site.

Pagefind's Python API runs its indexer as a service and takes documents directly. Each
record goes in as a tiny HTML document rather than a "custom record" because only HTML
carries weights (data-pagefind-weight), so a match in a title outranks one in a story;
meta and filter values sit in an element Pagefind reads for meta but does not index.
Cost is one short document per entry instead of parsing every written page.
"""

from __future__ import annotations

import asyncio
import shutil
from html import escape
from pathlib import Path

from .records import LANGUAGE, SearchRecord

BUNDLE = "pagefind"  # folder of the bundle inside the site; search.md.j2 and main.html link to it
_BATCH = 256  # documents in flight at once: keeps the service busy without a huge pipe
_EXIT_TIMEOUT = 120  # seconds for the service to finish writing and exit


class SearchIndexError(Exception):
    """Pagefind could not build the index; the message says why (shown to the editor)."""


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
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    config = {"force_language": LANGUAGE, "keep_index_url": False, "write_playground": False}
    service = await _prompt_service_class()().launch()
    try:
        index = await service.create_index(config)
        for start in range(0, len(records), _BATCH):
            # sent in order (the service handles its input in order), answered as they come
            await asyncio.gather(*(index.add_html_file(content=record_html(record), url=record.url) for record in records[start : start + _BATCH]))
        await index.write_files(output_path=str(staging.resolve()))
    finally:
        await _stop(service)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


async def _stop(service) -> None:
    """End the service by closing its input and waiting for it to exit.

    The service answers WriteFiles before its last files are flushed; the package's
    close() terminates it at once, which left pagefind.js cut at 32 KiB now and then.
    """
    backend = service._backend
    if backend.stdin is not None and not backend.stdin.is_closing():
        backend.stdin.close()
    try:
        await asyncio.wait_for(backend.wait(), timeout=_EXIT_TIMEOUT)
    except asyncio.TimeoutError:
        backend.kill()
        await backend.wait()
        raise SearchIndexError("Pagefind không kết thúc sau khi ghi chỉ mục") from None
    finally:
        service._poll_task.cancel()


def _prompt_service_class():
    """Pagefind's service client, reading answers as they arrive.

    The packaged client (pagefind 1.5) sleeps 0.1 s before reading each answer, so
    10,000 documents would take 1,000 s; this subclass replaces only that loop, keeping
    the package's protocol, binary lookup and index API.
    """
    import base64
    import json

    from pagefind.service import PagefindService

    class PromptService(PagefindService):
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
