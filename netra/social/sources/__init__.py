"""Source adapters: one folder per platform, its manifest declaring all Netra knows of it.

Each folder's ``MANIFEST`` (``records.SourceManifest``) names its formats with their
parsers and sniffing, and per platform its links, browser-capture converters and live API
(docs/adding-a-platform.md). ``registry`` finds the folders, ``detect`` picks a format
from a file's first bytes, ``links`` reads item links, ``reading`` and ``tables`` are the
readers parsers share, and ``records`` holds the one shape all of them produce.
"""
