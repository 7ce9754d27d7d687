"""Live collection: polling platform APIs for watchlists, and batches pushed by collectors.

* ``watchlists``: what to follow for an election (queries from candidates, accounts);
* ``http``: the HTTP client with retries and back-off (``ApiClient``, ``ApiFailure``);
* ``base``: what a platform's collector provides (targets, requests, paging); each one
  lives in its platform's source folder (``sources/x/collect.py``…), which names it with
  its API's settings in its manifest (``PlatformSpec.live``);
* ``services``: ``watchlist_poll``, the loop that saves each page, loads it with
  ``netra.social.ingest.ingest_file`` and only then moves the ``CollectionCursor``;
* ``tokens`` and ``push``: collector tokens and pushed batches (``netra.social.api``).

docs/collection.md describes it for operators.
"""
