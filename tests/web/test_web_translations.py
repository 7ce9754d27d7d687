"""Indonesian labels for the third-party apps in the admin, and the committed catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.social.models import Source
from netra.staff.models import User

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"

# Labels that read the same in Indonesian (abbreviations, loanwords Indonesian keeps).
SAME_IN_INDONESIAN = {"ID", "t0", "Email", "URL"}


def _admin_html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_index_names_the_sign_in_apps_in_indonesian(
    client_for: Callable[[str], Client],
) -> None:
    html = _admin_html(client_for("ri_admin"), "/admin/")
    for english in ("Otp_Totp", "OTP_TOTP", "Otp_Static", "TOTP devices", "Static devices", "Axes"):
        assert english not in html
    for indonesian in (
        ">Verifikasi dua langkah (TOTP)</a>",
        ">Perangkat TOTP</a>",
        ">Kode cadangan verifikasi dua langkah</a>",
        ">Perangkat kode cadangan</a>",
        ">Penguncian login (django-axes)</a>",
        ">Log akses</a>",
    ):
        assert indonesian in html


def test_the_totp_device_list_is_in_indonesian(client_for: Callable[[str], Client]) -> None:
    # client_for gives the superuser a TOTP device: the list has one row.
    html = _admin_html(client_for("ri_admin"), "/admin/otp_totp/totpdevice/")
    for english in (
        "TOTP device",
        "Last used at",
        "Created at",
        "Confirmed",
        "QR Code",
        ">qrcode<",
        "Search by",
        'aria-label="Breadcrumbs"',
        'aria-label="Sidebar"',
    ):
        assert english not in html
    for indonesian in (
        "<h1>Pilih perangkat TOTP untuk diubah</h1>",
        "Terakhir dipakai pada",
        "Dibuat pada",
        "Terkonfirmasi",
        "Kode QR",
        "tampilkan kode QR",
        "Cari menurut nama pengguna atau alamat email pemilik perangkat.",
        "1 perangkat TOTP",
        'aria-label="Jejak navigasi"',
    ):
        assert indonesian in html


def test_the_totp_device_form_is_in_indonesian(
    client_for: Callable[[str], Client], personas: dict[str, User | None]
) -> None:
    client = client_for("ri_admin")
    device = TOTPDevice.objects.get(user=personas["ri_admin"])
    html = _admin_html(client, f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    for english in ("Identity", "Timestamps", "Configuration", "Throttling", "Tolerance"):
        assert english not in html
    for indonesian in ("Identitas", "Konfigurasi", "Pembatasan percobaan", "Toleransi:"):
        assert indonesian in html


def _third_party_labels() -> list[tuple[str, object]]:
    """Every label the admin shows for the models of apps that are not Netra's own."""
    labels: list[tuple[str, object]] = []
    for model in admin.site._registry:
        if model.__module__.startswith("netra."):
            continue
        meta = model._meta
        labels += [
            (f"{meta.label} verbose_name", meta.verbose_name),
            (f"{meta.label} verbose_name_plural", meta.verbose_name_plural),
        ]
        for field in meta.get_fields():
            if isinstance(field, models.Field):
                labels.append((f"{meta.label}.{field.name}", field.verbose_name))
                if field.help_text:
                    labels.append((f"{meta.label}.{field.name} help", field.help_text))
    return labels


def test_every_third_party_label_in_the_admin_has_an_indonesian_translation() -> None:
    untranslated = []
    for where, label in _third_party_labels():
        with translation.override(None):
            english = str(label)
        with translation.override("id"):
            indonesian = str(label)
        if indonesian == english and english not in SAME_IN_INDONESIAN:
            untranslated.append(f"{where}: {english!r}")
    assert untranslated == []


def test_every_app_in_the_admin_has_an_indonesian_name() -> None:
    # Without a verbose_name of its own an app is called label.title() ("Otp_Totp"); Netra
    # names the third-party ones in netra.staff.vendor, in Indonesian.
    unnamed = []
    for model in admin.site._registry:
        config = apps.get_app_config(model._meta.app_label)
        with translation.override("id"):
            name = str(config.verbose_name)
        if name == config.label.title():
            unnamed.append(config.label)
    assert unnamed == []


def test_byte_is_written_byte() -> None:
    with translation.override("id"):
        assert str(Source._meta.get_field("size").verbose_name) == "ukuran (byte)"
        assert filesizeformat(10) == "10\xa0byte"


def _messages(entries: list[polib.POEntry] | list[polib.MOEntry]) -> dict[tuple[str, str], object]:
    return {
        (entry.msgctxt or "", entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in entries
        if entry.msgid and entry.msgstr + "".join(entry.msgstr_plural.values())
    }


def test_the_committed_catalogue_is_compiled_from_its_source() -> None:
    # Compared by content, not by bytes or dates: msgfmt and polib lay a .mo out
    # differently, and a checkout sets every file's time anew.
    source = polib.pofile(str(CATALOGUE / "django.po"))
    compiled = polib.mofile(str(CATALOGUE / "django.mo"))
    translated = [entry for entry in source if entry.translated()]
    assert source.fuzzy_entries() == []
    assert len(translated) == len([entry for entry in source if not entry.obsolete])
    assert _messages(compiled) == _messages(translated), (
        "django.mo is stale: compile django.po again (see its header)"
    )
    assert compiled.metadata["Plural-Forms"] == source.metadata["Plural-Forms"]


def test_permission_pickers_name_the_permissions_in_indonesian(
    client_for: Callable[[str], Client], personas: dict[str, User | None]
) -> None:
    client = client_for("ri_admin")
    analyst = personas["malang_analyst"]
    assert analyst is not None

    for path in ("/admin/auth/group/add/", f"/admin/staff/user/{analyst.pk}/change/"):
        html = _admin_html(client, path)
        assert "Can add" not in html
        assert "Can view" not in html
        for label in (
            "Verifikasi dua langkah (TOTP) | perangkat TOTP | Dapat menambah perangkat TOTP",
            "Staf | kantor | Dapat mengubah kantor",
            "Regulasi | jenis pelanggaran | Dapat menghapus jenis pelanggaran",
            "Sesi | sesi | Dapat melihat sesi",
        ):
            assert label in html
