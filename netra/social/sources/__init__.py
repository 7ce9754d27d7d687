"""Source adapters: one folder per platform, each a pure parser plus a manifest.

``registry`` lists every format, ``detect`` picks one from a file's first bytes, and
``records`` holds the one shape all of them produce.
"""
