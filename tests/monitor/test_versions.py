"""No office rewrites what another office reads of a shared item or account.

Kab. Malang's file (the regent election's, uploaded by the RI admin) holds a post; Kab.
Lumajang then brings the same post id with other text, another author and a later
collection time, by upload, by manual entry and through a collector's push, and the
author's profile with another name and bio. Malang keeps seeing its own version;
Lumajang sees its own; each version stays with its source (``Item.shown_source``,
``ItemVersion``). A collection time in the future is refused. The same bytes uploaded by
another office are a source of that office, never the first one's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netra.social.collect.tokens import collector_token_create
from netra.social.ingest import NothingLoaded
from netra.social.models import Account, Item, ItemVersion, QuarantinedRecord, Source
from netra.social.services import item_manual_create, source_upload_ingest
from netra.staff.models import User
from tests.monitor.test_views import ROOT, SocialData, html_of, jsonl, malang_rows

FORGED = "Teks palsu dari berkas lain"
FORGED_NAME = "Nama Palsu Lumajang"
FORGED_BIO = "Bio palsu Lumajang"


def _forged_post(collected_at: str = "2024-12-01T08:00:00+07:00") -> dict[str, object]:
    return {
        "record": "item",
        "platform": "x",
        "id": ROOT,
        "author_id": "2009",
        "author_handle": "pemalsu_lumajang",
        "created_at": "2024-10-01T01:00:00Z",
        "text": FORGED,
        "collected_at": collected_at,
    }


def _forged_profile() -> dict[str, object]:
    return {
        "record": "account",
        "platform": "x",
        "id": "1001",
        "handle": "warga_fiktif_12",
        "display_name": FORGED_NAME,
        "bio": FORGED_BIO,
        "seen_at": "2024-12-01T08:00:00+07:00",
    }


def _lumajang_upload(data: SocialData, path: Path) -> Source:
    summary = source_upload_ingest(
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        format_name=None,
        election=data.lumajang,
        actor=User.objects.get(username="lumajang_analyst"),
    )
    return Source.objects.get(pk=summary.source_id)


def _item_text_seen(client: Client, item: Item) -> str:
    page = html_of(client, f"/pantau/konten/{item.pk}/")
    return page.split('<dd class="text">')[1].split("</dd>")[0]


def _assert_malang_keeps_its_version(
    data: SocialData, client_for: Callable[[str], Client], original: str
) -> None:
    root = data.item(ROOT)
    assert root.text == original
    assert root.shown_source_id == data.malang_source.pk
    seen = _item_text_seen(client_for("malang_analyst"), root)
    assert FORGED not in seen
    assert "Ayo dukung paslon nomor 1" in seen
    listed = html_of(client_for("malang_analyst"), "/pantau/konten/")
    assert FORGED not in listed
    assert "pemalsu_lumajang" not in listed


def test_an_upload_of_another_office_keeps_its_version_to_itself(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    original = data.item(ROOT).text
    source = _lumajang_upload(
        data, jsonl(tmp_path / "lumajang_palsu.jsonl", [_forged_post(), _forged_profile()])
    )

    _assert_malang_keeps_its_version(data, client_for, original)
    version = ItemVersion.objects.get(item=data.item(ROOT), source=source)
    assert version.text == FORGED
    assert version.author is not None
    assert version.author.handle == "pemalsu_lumajang"
    # Lumajang reads its own version, its own author, and says which source it is.
    lumajang = client_for("lumajang_analyst")
    page = html_of(lumajang, f"/pantau/konten/{data.item(ROOT).pk}/")
    assert FORGED in page
    assert "@pemalsu_lumajang" in page
    assert "lumajang_palsu.jsonl" in page.split('class="shown-source"')[1].split("</dd>")[0]
    assert FORGED in html_of(lumajang, "/pantau/konten/")
    # The national view is the row: the version of the sources of its scope.
    assert FORGED not in _item_text_seen(client_for("ri_admin"), data.item(ROOT))


def test_a_profile_from_another_office_does_not_rename_the_account(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    _lumajang_upload(data, jsonl(tmp_path / "profil_palsu.jsonl", [_forged_profile()]))

    account = data.account("warga_fiktif_12")
    assert (account.display_name, account.bio) == ("Warga Fiktif Dua", "Warga Donomulyo")
    assert account.shown_source_id == data.malang_source.pk
    malang = html_of(client_for("malang_analyst"), f"/pantau/akun/{account.pk}/")
    assert FORGED_NAME not in malang
    assert FORGED_BIO not in malang
    assert "Warga Fiktif Dua" in malang
    accounts = html_of(client_for("malang_analyst"), "/pantau/akun/?q=warga")
    assert FORGED_NAME not in accounts
    lumajang = html_of(client_for("lumajang_analyst"), f"/pantau/akun/{account.pk}/")
    assert FORGED_NAME in lumajang
    assert "Warga Fiktif Dua" not in lumajang


def test_a_forged_collection_time_in_the_future_is_refused(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    original = data.item(ROOT).text
    # Its one record refused, the file gave nothing usable: the upload says so.
    with pytest.raises(NothingLoaded) as raised:
        _lumajang_upload(
            data,
            jsonl(tmp_path / "masa_depan.jsonl", [_forged_post("2030-01-01T00:00:00+07:00")]),
        )
    source = Source.objects.get(pk=raised.value.summary.source_id)

    problem = QuarantinedRecord.objects.get(source=source)
    assert problem.reason == "waktu pengumpulan 2030-01-01T00:00:00+07:00 ada di masa depan"
    assert not ItemVersion.objects.filter(source=source).exists()
    assert data.item(ROOT).text == original


def test_a_manual_entry_of_another_office_keeps_its_version_to_itself(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    original = data.item(ROOT).text
    item = item_manual_create(
        url=f"https://x.com/warga_fiktif_12/status/{ROOT}",
        platform="",
        text=FORGED,
        author_handle="pemalsu_lumajang",
        created_at=None,
        screenshot=None,
        actor=User.objects.get(username="lumajang_analyst"),
    )

    assert item.pk == data.item(ROOT).pk
    _assert_malang_keeps_its_version(data, client_for, original)
    assert FORGED in _item_text_seen(client_for("lumajang_analyst"), item)


def test_a_push_of_a_token_without_election_keeps_its_version_to_its_office(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    original = data.item(ROOT).text
    _row, secret = collector_token_create(
        name="kolektor-lumajang",
        election=None,
        actor=User.objects.get(username="lumajang_analyst"),
    )
    body = (json.dumps(_forged_post()) + "\n").encode()

    response = Client().post(
        "/api/v1/ingest/batches?format=netra-jsonl",
        data=body,
        content_type="application/octet-stream",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 200, response.content
    pushed = Source.objects.get(pk=response.json()["source"])
    assert pushed.owner is not None
    assert pushed.owner == User.objects.get(username="lumajang_analyst").office
    _assert_malang_keeps_its_version(data, client_for, original)
    assert FORGED in _item_text_seen(client_for("lumajang_analyst"), data.item(ROOT))


def test_a_later_upload_of_the_same_office_is_the_newer_version(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    """Within one scope the newest collection still wins, as before."""
    ri_admin = User.objects.get(username="ri_admin")
    newer = dict(_forged_post(), text="Teks yang diperbarui", author_id="1001")
    newer["author_handle"] = "warga_fiktif_12"
    path = jsonl(tmp_path / "malang_baru.jsonl", [newer])
    source_upload_ingest(
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        format_name=None,
        election=data.malang,
        actor=ri_admin,
    )

    root = data.item(ROOT)
    assert root.text == "Teks yang diperbarui"
    assert root.shown_source_id != data.malang_source.pk
    assert not ItemVersion.objects.exists()
    assert "Teks yang diperbarui" in _item_text_seen(client_for("malang_analyst"), root)


@pytest.mark.parametrize("name", ["malang.jsonl", "salinan.jsonl"])
def test_the_same_bytes_from_another_office_are_a_source_of_that_office(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path, name: str
) -> None:
    same = jsonl(tmp_path / name, malang_rows())
    copy = _lumajang_upload(data, same)

    assert copy.pk != data.malang_source.pk
    assert copy.sha256 == data.malang_source.sha256
    assert copy.owner == User.objects.get(username="lumajang_analyst").office
    lumajang = client_for("lumajang_analyst")
    assert lumajang.get(f"/pantau/impor/proses/{data.malang_run.pk}/").status_code == 404
    attachment = f"/pantau/impor/sumber/{data.malang_source.pk}/lampiran/"
    assert lumajang.get(attachment).status_code == 404
    # The copy's run page is Lumajang's, and lists only its own source.
    run = copy.runs.get()
    page = html_of(lumajang, f"/pantau/impor/proses/{run.pk}/")
    assert f"?source={copy.pk}" in page
    assert f"?source={data.malang_source.pk}" not in page
    assert "data-earlier" not in page  # Malang's run is not an earlier load of Lumajang's
    # Every record was stored already: duplicates, one account, nothing rewritten.
    assert run.new == 0
    assert Account.objects.filter(handle="warga_fiktif_12").count() == 1
    assert data.item(ROOT).shown_source_id == data.malang_source.pk
