"""Open data: the showcase as files anyone can reuse (JSON, CSV, Atom, CSL-JSON).

Everything here is computed from the derived `Site` and the schema (generator/schema.py):
a field declared there appears in every data file without being named again. Outputs are
`FileSpec`s (path + bytes), deterministic for the same content, so the site build
publishes them under `data/` and `dvk export` writes the same bytes to a folder.
"""

FORMATS = ("json", "csv")  # data file formats (dvk export --format); here so the command line needs no renderer
