"""The API root: its schema and docs pages are for logged-in staff only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

PAGES = ["/api/v1/openapi.json", "/api/v1/docs"]


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login_page_and_sees_no_schema(
    db: None, url: str
) -> None:
    response = Client().get(url)
    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"/akun/masuk/?next={url}",
    )
    assert b"ingest" not in response.content


@pytest.mark.parametrize(
    "persona",
    ["ri_admin", "malang_analyst", "donomulyo_supervisor", "lumajang_analyst", "bkpsdm_partner"],
)
def test_every_logged_in_staff_member_reads_the_schema_and_docs(
    client_for: Callable[[str], Client], persona: str
) -> None:
    client = client_for(persona)
    schema = client.get(PAGES[0])
    docs = client.get(PAGES[1])
    assert (schema.status_code, docs.status_code) == (200, 200)
    assert "/api/v1/ingest/batches" in schema.json()["paths"]
    assert b'<div id="swagger-ui"></div>' in docs.content
