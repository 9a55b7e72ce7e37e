"""sitemap.xml(.gz) of a built site, listing every page (also those copied from the cache)."""

from __future__ import annotations

from pathlib import Path


def write_sitemap(config, site_dir: Path, page_urls: set[str], date: str = "") -> None:
    """sitemap.xml(.gz) listing every page, also the ones copied from the cache.

    mkdocs lists only the pages it rendered; here every page is listed in URL order, so
    an incremental build writes the same sitemap as a clean one.
    """
    import gzip
    from datetime import datetime, timezone
    from html import escape  # (xml.sax.saxutils imports urllib.request: 48 ms)

    from mkdocs.utils import get_build_date

    base = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
    urls = sorted(base + url for url in page_urls)
    date = date or get_build_date()  # the content's date (builddate.py), as on every page
    body = "".join(f"\n    <url>\n         <loc>{escape(url, quote=False)}</loc>\n         <lastmod>{date}</lastmod>\n    </url>" for url in urls)
    output = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}\n</urlset>'
    (site_dir / "sitemap.xml").write_bytes(output.encode("utf-8"))
    stamp = int(datetime.fromisoformat(date).replace(tzinfo=timezone.utc).timestamp())
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(site_dir / "sitemap.xml.gz"), mode="wb", mtime=stamp) as gz:
        gz.write(output.encode("utf-8"))
