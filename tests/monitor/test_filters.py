"""Out-of-range filter values and cursors get an Indonesian answer, never a server error.

A key larger than a 64-bit integer overflows SQLite's INTEGER and PostgreSQL's bigint; a
day such as 0001-01-01 in WIB has no UTC time before it (``OverflowError``). Both come
from a hand-edited URL, so the page answers with the form's own error, as for any other
bad input, on both databases.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from netra.social.models import Item
from tests.monitor.test_views import (
    SocialData,
    listed_ids,
)

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"account": HUGE}, "Akun yang dipilih tidak sah."),
        ({"account": "0"}, "Akun yang dipilih tidak sah."),
        ({"date_from": "0001-01-01"}, "Tanggal harus antara 01-01-1970 dan 31-12-2100."),
        ({"date_to": "9999-12-31"}, "Tanggal harus antara 01-01-1970 dan 31-12-2100."),
        ({"source": HUGE}, "Sumber yang dipilih tidak ada dalam wilayah Anda."),
    ],
)
def test_an_out_of_range_filter_is_a_form_error(
    data: SocialData,
    client_for: Callable[[str], Client],
    query: dict[str, str],
    message: str,
) -> None:
    client = client_for("malang_analyst")
    client.raise_request_exception = False
    response = client.get("/pantau/konten/", data=query)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<div class="error" role="alert">([^<]*)</div>', html) == [message]
    assert "Periksa isian pencarian di atas." in html
    assert listed_ids(html) == []


@pytest.mark.parametrize(
    "cursor",
    [
        f"n.{HUGE}",
        f"t.2024-10-01T08:00:00+07:00.{HUGE}",
        "t.0001-01-01T00:00:00+07:00.5",
        "t.9999-12-31T23:59:59-07:00.5",
        "t.2024-10-01T08:00:00.5",  # no zone
        "x.1",
    ],
)
def test_a_bad_cursor_starts_from_the_first_page(
    data: SocialData, client_for: Callable[[str], Client], cursor: str
) -> None:
    client = client_for("malang_analyst")
    client.raise_request_exception = False
    first = client.get("/pantau/konten/")
    for name in ("setelah", "sebelum"):
        response = client.get("/pantau/konten/", data={name: cursor})
        assert response.status_code == 200, (name, cursor)
        assert listed_ids(response.content.decode()) == listed_ids(first.content.decode())


@pytest.mark.parametrize("url", ["/pantau/akun/", "/pantau/impor/"])
def test_a_key_cursor_out_of_range_starts_from_the_first_page(
    data: SocialData, client_for: Callable[[str], Client], url: str
) -> None:
    client = client_for("malang_analyst")
    client.raise_request_exception = False
    first = client.get(url).content.decode()
    for name in ("setelah", "sebelum"):
        response = client.get(url, data={name: HUGE})
        assert response.status_code == 200
        rows = re.findall(r'data-(?:account|source)="(\d+)"', response.content.decode())
        assert rows == re.findall(r'data-(?:account|source)="(\d+)"', first)


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_manual_entry_time_out_of_range_is_refused(
    data: SocialData, client_for: Callable[[str], Client], when: str
) -> None:
    items = Item.objects.count()
    client = client_for("donomulyo_supervisor")
    client.raise_request_exception = False
    response = client.post(
        "/pantau/konten/baru/",
        {"url": "https://x.com/warga/status/1234", "author_handle": "warga", "created_at": when},
    )
    assert response.status_code == 400
    assert "Waktu harus antara 01-01-1970 dan 31-12-2100." in response.content.decode()
    assert Item.objects.count() == items
