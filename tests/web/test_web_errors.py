"""Error pages in Indonesian (400, 403, 404, 500), and uploads whose file name is too long for
Django's multipart parser."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from netra.config import urls as netra_urls
from netra.geo.models import Region
from netra.social.models import IngestRun, Item, QuarantinedRecord, Source
from netra.staff.models import User
from tests.monitor.test_views import SocialData, build_social_data

ROOT = Path(__file__).resolve().parents[2]
Personas = dict[str, User | None]


@pytest.fixture
def data(
    settings: Any, tmp_path: Path, regions: dict[str, Region], personas: Personas
) -> SocialData:
    """The monitoring pages' data (a Malang source with a quarantined record), files in tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_social_data(tmp_path, regions, personas)


def test_a_missing_page_is_an_indonesian_404_with_the_layout(db: None) -> None:
    response = Client().get("/tidak-ada/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Halaman tidak ditemukan · Netra</title>" in html
    assert "<h1>Halaman tidak ditemukan</h1>" in html
    assert "lalu mulai lagi dari beranda." in html
    assert '<a class="button" href="/">Ke beranda</a>' in html


def test_the_default_configuration_answers_a_missing_page_without_listing_urls(
    tmp_path: Path,
) -> None:
    """Outside pytest (which turns debug off itself): what `make demo` serves."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NETRA_", "DATABASE_URL"))}
    script = (
        "from django.test import Client; "
        "r = Client().get('/tidak-ada/', HTTP_HOST='127.0.0.1'); "
        "print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c", script],
        env={**clean, "NETRA_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    status, _, html = result.stdout.partition("\n")
    assert status == "404", result.stderr
    assert "<h1>Halaman tidak ditemukan</h1>" in html
    assert "URLconf" not in html
    assert "pantau/" not in html


def test_a_forbidden_page_is_an_indonesian_403(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("donomulyo_supervisor").get("/pantau/impor/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Akses ditolak</h1>" in html
    assert "Peran atau kantor Anda tidak berwenang membuka halaman ini." in html
    # The layout's navigation stays: the user can go on from here.
    assert 'aria-label="Bagian"' in html


def test_a_form_without_its_csrf_token_is_an_indonesian_403(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/akun/masuk/", {"username": "x", "password": "y"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Formulir tidak dapat dikirim</h1>" in html
    assert "muat ulang, lalu kirim formulir sekali lagi." in html


def test_an_unknown_host_is_an_indonesian_400(db: None) -> None:
    response = Client().get("/akun/masuk/", HTTP_HOST="netra.penipu.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Permintaan tidak dapat diproses</h1>" in html
    assert "periksa isian formulir, lalu coba lagi." in html


def _fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in a view")


# Netra's URLs and one that fails, for the 500 test (``pytest.mark.urls``).
urlpatterns = [*netra_urls.urlpatterns, path("rusak/", _fails)]


@pytest.mark.urls("tests.web.test_web_errors")
def test_a_fault_is_an_indonesian_500(db: None) -> None:
    response = Client(raise_request_exception=False).get("/rusak/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Terjadi kesalahan di server</h1>" in html
    assert "Kesalahan ini sudah dicatat di server." in html
    assert "a fault in a view" not in html


# --- uploads with a file name of a thousand characters ---------------------------------------

LONG_NAME = "laporan-pengawasan-" + "a" * 975 + ".jsonl"  # 1,000 characters


def _long_named(content: bytes) -> io.BytesIO:
    """A file the test client sends with its ``name`` as the multipart file name, uncut
    (SimpleUploadedFile would cut it to 255 characters before sending)."""
    upload = io.BytesIO(content)
    upload.name = LONG_NAME
    return upload


@pytest.mark.parametrize("form", ["imports", "rerun", "manual"])
def test_a_thousand_character_file_name_is_refused_in_indonesian_and_nothing_is_stored(
    data: SocialData, client_for: Callable[[str], Client], settings: Any, form: str
) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    client = client_for("malang_analyst")
    # As a browser does: the CSRF check reads the form first, so the parser fails there.
    client.handler.enforce_csrf_checks = True
    page, url, field = {
        "imports": ("/pantau/impor/", "/pantau/impor/", "file"),
        "rerun": (
            "/pantau/karantina/",
            f"/pantau/karantina/{data.malang_source.pk}/ulang/",
            "file",
        ),
        "manual": ("/pantau/konten/baru/", "/pantau/konten/baru/", "screenshot"),
    }[form]
    token = client.get(page).cookies["csrftoken"].value
    stored = (
        Source.objects.count(),
        IngestRun.objects.count(),
        Item.objects.count(),
        QuarantinedRecord.objects.filter(resolved_by__isnull=True).count(),
    )
    files = sorted(media_root.rglob("*"))

    response = client.post(
        url,
        {"csrfmiddlewaretoken": token, field: _long_named(b'{"record": "item"}\n')},
        HTTP_REFERER=f"http://testserver{page}",
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        '<p role="alert">Nama berkas yang Anda unggah terlalu panjang (lebih dari sekitar 900 '
        "karakter), sehingga unggahan tidak dapat dibaca dan tidak ada yang disimpan. Ganti nama "
        "berkas menjadi lebih pendek (paling banyak 200 karakter), lalu unggah lagi.</p>"
    ) in html
    back = f'<a class="button" href="http://testserver{page}">Kembali ke halaman sebelumnya</a>'
    assert back in html
    assert (
        Source.objects.count(),
        IngestRun.objects.count(),
        Item.objects.count(),
        QuarantinedRecord.objects.filter(resolved_by__isnull=True).count(),
    ) == stored
    assert sorted(media_root.rglob("*")) == files


def test_a_back_link_to_another_site_is_not_offered(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("malang_analyst").post(
        "/pantau/impor/",
        {"file": _long_named(b"{}\n")},
        HTTP_REFERER="https://penipu.example/pantau/impor/",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nama berkas yang Anda unggah terlalu panjang" in html
    assert "penipu.example" not in html
    assert "Kembali ke halaman sebelumnya" not in html
