"""What an item or account page shows of one office comes only from the sources it may see.

Items and accounts are shared by every office; where they were read (provenance, raw
payloads), the likes read with them and the profile versions of an account belong to a
source, and a source belongs to the office that loaded it or to its election's region
(``netra.monitor.access.sources_for_user``). Here Kab. Lumajang loads a file of its own
that holds a Kab. Malang post, a like on it and a new profile of its author.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netra.social.models import AccountSnapshot, Interaction, ItemProvenance, Source
from netra.social.services import source_upload_ingest
from netra.staff.models import User
from tests.monitor.test_views import (
    ROOT,
    SocialData,
    html_of,
    jsonl,
    malang_rows,
)

LUMAJANG_FILE = "lumajang_sendiri.jsonl"


def without_csrf(page: bytes) -> bytes:
    """The page with its per-request CSRF token masked, so that two answers compare."""
    return re.sub(rb'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', rb"\1-", page)


@pytest.fixture
def lumajang_copy(data: SocialData, tmp_path: Path) -> Source:
    """A Kab. Lumajang analyst's upload: the Malang post as its own file shows it, a like by
    a Lumajang account, and the post's author's profile as Lumajang saw it."""
    post = malang_rows()[1]  # the same record, so the shown text stays Malang's
    assert isinstance(post, dict)
    path = jsonl(
        tmp_path / LUMAJANG_FILE,
        [
            post,
            {
                "record": "interaction",
                "platform": "x",
                "kind": "like",
                "actor_id": "2002",
                "actor_handle": "penyuka_lumajang",
                "target_item_id": ROOT,
                "collected_at": "2024-10-06T08:00:00+07:00",
            },
            {
                "record": "account",
                "platform": "x",
                "id": "1001",
                "handle": "warga_fiktif_12",
                "display_name": "Warga Fiktif",
                "bio": "Bio versi Lumajang",
                "followers": 999,
                "seen_at": "2024-10-06T09:00:00+07:00",
            },
        ],
    )
    summary = source_upload_ingest(
        upload=SimpleUploadedFile(LUMAJANG_FILE, path.read_bytes()),
        format_name=None,
        election=data.lumajang,
        actor=User.objects.get(username="lumajang_analyst"),
    )
    return Source.objects.get(pk=summary.source_id)


def test_the_item_page_lists_only_the_sources_and_likes_the_office_may_see(
    data: SocialData, lumajang_copy: Source, client_for: Callable[[str], Client]
) -> None:
    root = data.item(ROOT)
    assert ItemProvenance.objects.filter(item=root).count() == 2
    assert Interaction.objects.filter(target_item_platform_id=ROOT, kind="like").count() == 2

    malang = html_of(client_for("malang_analyst"), f"/pantau/konten/{root.pk}/")
    assert "malang.jsonl" in malang
    assert LUMAJANG_FILE not in malang
    assert "@pemilih_contoh" in malang
    assert "penyuka_lumajang" not in malang
    assert re.findall(r'<[a-z]+ [^>]*data-kind="(\w+)"', malang) == ["like", "reply", "quote"]

    # Lumajang sees the post through its own file, and nothing of Malang's.
    lumajang = html_of(client_for("lumajang_analyst"), f"/pantau/konten/{root.pk}/")
    assert LUMAJANG_FILE in lumajang
    assert "malang.jsonl" not in lumajang
    assert "penyuka_lumajang" in lumajang
    assert "@pemilih_contoh" not in lumajang


def test_the_raw_record_of_another_offices_source_is_not_found(
    data: SocialData, lumajang_copy: Source, client_for: Callable[[str], Client]
) -> None:
    root = data.item(ROOT)
    theirs = ItemProvenance.objects.get(item=root, source=lumajang_copy)
    ours = ItemProvenance.objects.get(item=root, source=data.malang_source)
    malang = client_for("malang_analyst")
    lumajang = client_for("lumajang_analyst")
    missing = malang.get(f"/pantau/konten/{root.pk}/mentah/999999/")
    forbidden = malang.get(f"/pantau/konten/{root.pk}/mentah/{theirs.pk}/")
    assert (forbidden.status_code, missing.status_code) == (404, 404)
    assert without_csrf(forbidden.content) == without_csrf(missing.content)
    assert lumajang.get(f"/pantau/konten/{root.pk}/mentah/{ours.pk}/").status_code == 404
    assert lumajang.get(f"/pantau/konten/{root.pk}/mentah/{theirs.pk}/").status_code == 200
    assert malang.get(f"/pantau/konten/{root.pk}/mentah/{ours.pk}/").status_code == 200


def test_the_account_page_shows_only_profile_versions_of_visible_sources(
    data: SocialData, lumajang_copy: Source, client_for: Callable[[str], Client]
) -> None:
    account = data.account("warga_fiktif_12")
    assert AccountSnapshot.objects.filter(account=account, source=lumajang_copy).count() == 1
    malang = html_of(client_for("malang_analyst"), f"/pantau/akun/{account.pk}/")
    versions = re.findall(r'data-snapshot="(\d+)"', malang)
    assert versions == [
        str(pk)
        for pk in AccountSnapshot.objects.filter(account=account, source=data.malang_source)
        .order_by("-seen_at")
        .values_list("pk", flat=True)
    ]
    assert len(versions) == 2
    assert "Bio versi Lumajang" not in malang.split('id="riwayat"')[1]
    assert LUMAJANG_FILE not in malang
    lumajang = html_of(client_for("lumajang_analyst"), f"/pantau/akun/{account.pk}/")
    assert re.findall(r'data-snapshot="(\d+)"', lumajang) == [
        str(AccountSnapshot.objects.get(account=account, source=lumajang_copy).pk)
    ]
    assert "malang.jsonl" not in lumajang
