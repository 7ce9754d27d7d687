"""The monitoring pages' shared set-up, defined with the tests that first needed it."""

from tests.monitor.test_views import data, media_root  # noqa: F401 - fixtures for this folder
