"""Site search made by the core: records from entries (pure) and the index written from them.

`collect_search_records(site)` is an output of the core like the pages are, so a build
can cache it per entry; `write_search_index(records, site_dir)` turns the records into
Pagefind's bundle in site_dir/pagefind without reading any written page.
"""

from .background import SearchJob
from .pagefind import BUNDLE, SearchIndexError, record_html, write_search_index
from .records import FILTERS, LANGUAGE, SearchRecord, collect_filters, collect_search_records, fold_words, make_search_record

__all__ = [
    "BUNDLE",
    "FILTERS",
    "LANGUAGE",
    "SearchIndexError",
    "SearchJob",
    "SearchRecord",
    "collect_filters",
    "collect_search_records",
    "fold_words",
    "make_search_record",
    "record_html",
    "write_search_index",
]
