"""RawDocument -> Article: HTML and scraped-text extraction plus Persian cleaning rules."""

from khabar.extract.document import clean_document, clean_document_all
from khabar.extract.sources import DEFAULT_MAX_BYTES, read_sources

__all__ = ["DEFAULT_MAX_BYTES", "clean_document", "clean_document_all", "read_sources"]
