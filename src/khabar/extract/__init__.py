"""RawDocument -> Article: HTML and scraped text extraction plus Persian cleaning rules."""
