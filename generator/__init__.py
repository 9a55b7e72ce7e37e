"""dvk: the "Dân vận khéo" showcase generator.

Pure core (load -> validate -> derive -> render) with thin adapters for mkdocs and the book.
"""

__version__ = "0.1.0"
