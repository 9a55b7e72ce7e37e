"""Site search made by the core: records from entries (pure) and the index written from them.

`collect_search_records(site)` is an output of the core like the pages are, so a build
can cache it per entry; `write_search_index(records, site_dir)` turns the records into
the index the search page reads (site_dir/BUNDLE) without reading any written page.
"""

from .index import BUNDLE, SearchIndexError, write_search_index
from .keeper import BundleKeeper, make_bundle, read_keeper, save_keeper
from .records import FILTERS, LANGUAGE, SearchRecord, SearchRecords, collect_filters, collect_search_records, collect_search_records_kept, fold_words, make_search_record

__all__ = [
    "BUNDLE",
    "FILTERS",
    "LANGUAGE",
    "SearchIndexError",
    "SearchRecords",
    "SearchRecord",
    "collect_filters",
    "collect_search_records",
    "collect_search_records_kept",
    "fold_words",
    "make_search_record",
    "make_bundle",
    "BundleKeeper",
    "read_keeper",
    "save_keeper",
    "write_search_index",
]
