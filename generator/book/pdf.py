"""HTML -> PDF with WeasyPrint, written atomically (temp file, then rename).

Only local files under known directories (the bundled fonts, the resized-photo cache)
may be fetched: a stray URL in content can neither reach the network nor read files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..builddate import source_date_epoch
from .images import IMAGE_SCHEME


class FetchRefused(ValueError):
    pass


@dataclass
class PdfResult:
    path: Path
    pages: int
    size: int
    warnings: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def make_fetcher(allowed: list[Path], images: dict[str, Path] | None = None):
    """A WeasyPrint URL fetcher that serves only file: URLs under `allowed` directories,
    plus the book's photos by their stable URLs (`images`: URL -> resized copy)."""
    from weasyprint.urls import URLFetcher

    roots = [p.resolve() for p in allowed]
    images = dict(images or {})

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == IMAGE_SCHEME:
                if url not in images:
                    raise FetchRefused(f"không có ảnh in nào mang địa chỉ {url}")
                url, parsed = images[url].as_uri(), urlparse(images[url].as_uri())
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not any(path == r or r in path.parents for r in roots):
                    raise FetchRefused(f"không đọc tệp ngoài thư mục cho phép: {path}")
            elif parsed.scheme != "data":
                raise FetchRefused(f"không tải địa chỉ ngoài: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def write_pdf(html: str, output: Path, base: Path, allowed: list[Path], variant: str | None = None, images: dict[str, Path] | None = None, epoch: int | None = None) -> PdfResult:
    """Lay out and write the PDF; the target appears only when complete.

    `epoch` (the build date, generator.builddate) is exported as SOURCE_DATE_EPOCH while
    WeasyPrint runs, so whatever it stamps with "now" (fontTools font subsets) agrees
    between two runs.
    """
    from weasyprint import HTML

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous = logger.propagate
    logger.propagate = False
    dated = source_date_epoch(epoch) if epoch is not None else contextlib.nullcontext()
    try:
        with dated:
            document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=make_fetcher(allowed, images)).render()
            output.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
            os.close(handle)
            try:
                options = {"pdf_variant": variant} if variant else {}
                document.write_pdf(tmp, **options)
                os.chmod(tmp, 0o644)  # mkstemp makes 600; the book is meant to be shared
                os.replace(tmp, output)
            finally:
                Path(tmp).unlink(missing_ok=True)
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous
    return PdfResult(output, len(document.pages), output.stat().st_size, collector.messages)
