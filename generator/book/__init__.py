"""The printed example book (`dvk book`): the derived Site -> a print-ready PDF.

Stages: options (defaults + mkdocs.yml + flags) -> select (filters) -> layout (chapters,
chronicle, index) -> images (Pillow, print resolution) -> render (Jinja2 + print CSS)
-> pdf (WeasyPrint). Importing this package is cheap; WeasyPrint loads only in `pdf`.
"""
