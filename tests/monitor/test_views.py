"""The staff pages over ingested social media data (/pantau/): scope, search, item pages,
uploads and quarantine.

Test data goes in the way real data does: small files in Netra's own JSON Lines format
(``netra-jsonl``: one record per line, keys as in netra/social/sources/generic/parse.py and
https://jsonlines.org/), loaded with ``ingest_file``; the upload test reuses the recorded
X API v2 search page of tests/social/sources/payloads/x/ (field names from
https://developer.x.com/en/docs/x-api/tweets/search/api-reference/get-tweets-search-recent).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netra.core.models import Event
from netra.elections.models import Election, ElectionType
from netra.geo.models import Region
from netra.law.models import Regime
from netra.monitor.pages import items_page
from netra.registry.models import AccountLink, LinkStatus, Subject, SubjectKind
from netra.social import services
from netra.social.ingest import ingest_file
from netra.social.models import (
    Account,
    IngestRun,
    Item,
    ItemProvenance,
    QuarantinedRecord,
    Source,
)
from netra.social.services import source_upload_ingest
from netra.staff.models import User

X_PAYLOADS = Path(__file__).parents[1] / "social" / "sources" / "payloads" / "x"
HOSTILE = "<script>alert('netra')</script>"

# Ids of the Kabupaten Malang file.
ROOT = "1800000000000000001"
REPLY = "1800000000000000002"
REPLY2 = "1800000000000000003"
QUOTE = "1800000000000000004"
GONE = "1800000000000000005"
TIKTOK = "7420000000000000001"
BROKEN = "1800000000000000009"
LUMAJANG = "1900000000000000001"
LINKED = "1950000000000000001"


def jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    """Write rows as JSON Lines; a string row is written as it is (a broken line)."""
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def malang_rows(*, broken: bool = True) -> list[dict[str, Any] | str]:
    """A Kabupaten Malang conversation on X: a post, two replies, a quote, a deleted post,
    likes and a mention, a TikTok video, two versions of one profile, one broken line."""
    fixed = {
        "record": "item",
        "platform": "x",
        "id": BROKEN,
        "author_handle": "warga_fiktif_12",
        "text": "<b>rusak</b> sudah diperbaiki",
        "created_at": "2024-10-03T10:00:00+07:00",
    }
    last = (
        '{"record": "item", "platform": "x", "id": "' + BROKEN + '", "author_handle": '
        '"warga_fiktif_12", "text": "<b>rusak</b>'
        if broken
        else fixed
    )
    return [
        {
            "record": "account",
            "platform": "x",
            "id": "1001",
            "handle": "warga_fiktif_12",
            "display_name": "Warga Fiktif",
            "bio": "Warga Donomulyo",
            "followers": 120,
            "seen_at": "2024-10-01T09:00:00+07:00",
        },
        {
            "record": "item",
            "platform": "x",
            "id": ROOT,
            "kind": "post",
            "author_id": "1001",
            "author_handle": "warga_fiktif_12",
            "created_at": "2024-10-01T01:00:00Z",
            "text": f"Ayo dukung paslon nomor 1 di Kabupaten Malang {HOSTILE} ꦥꦶꦭꦶꦃꦤ꧀",
            "root_id": ROOT,
            "language": "id",
            "media": [{"type": "photo", "url": "https://pbs.twimg.com/media/contoh_fiktif.jpg"}],
            "permalink": f"https://x.com/warga_fiktif_12/status/{ROOT}",
            "metrics": {"likes": 12, "shares": "3", "replies": 2},
        },
        {
            "record": "item",
            "platform": "x",
            "id": REPLY,
            "kind": "reply",
            "author_id": "1002",
            "author_handle": "asn_contoh",
            "created_at": "2024-10-01T09:00:00+07:00",
            "text": "Setuju, mari menangkan 🇮🇩",
            "parent_id": ROOT,
            "root_id": ROOT,
        },
        {
            "record": "item",
            "platform": "x",
            "id": REPLY2,
            "kind": "reply",
            "author_id": "1001",
            "author_handle": "warga_fiktif_12",
            "created_at": "2024-10-01T09:30:00+07:00",
            "text": "Terima kasih dukungannya مرحبا",
            "parent_id": REPLY,
            "root_id": ROOT,
        },
        {
            "record": "item",
            "platform": "x",
            "id": QUOTE,
            "kind": "quote",
            "author_id": "1003",
            "author_handle": "kader_contoh",
            # 2 October in WIB, still 1 October in UTC.
            "created_at": "2024-10-02T05:00:00+07:00",
            "text": "Lihat ajakan ini",
            "parent_id": ROOT,
            "root_id": QUOTE,
            "permalink": "javascript:alert(1)",
        },
        {
            "record": "item",
            "platform": "x",
            "id": GONE,
            "author_id": "1001",
            "author_handle": "warga_fiktif_12",
            "deleted": True,
            "reason": "dihapus oleh pengguna",
        },
        {
            "record": "item",
            "platform": "tiktok",
            "id": TIKTOK,
            "kind": "video",
            "author_handle": "siti_contoh",
            "created_at": "2024-10-03T19:00:00+07:00",
            "text": "Kampanye damai 🕊️",
            "metrics": {"views": "1.234"},
        },
        {
            "record": "interaction",
            "platform": "x",
            "kind": "like",
            "actor_id": "1004",
            "actor_handle": "pemilih_contoh",
            "target_item_id": ROOT,
            "collected_at": "2024-10-02T08:00:00+07:00",
        },
        {
            "record": "interaction",
            "platform": "x",
            "kind": "mention",
            "actor_id": "1001",
            "actor_handle": "warga_fiktif_12",
            "target_account_handle": "calon_fiktif",
            "via_item_id": ROOT,
            "occurred_at": "2024-10-01T01:00:00Z",
        },
        {
            "record": "account",
            "platform": "x",
            "id": "1001",
            "handle": "warga_fiktif_12",
            "display_name": "Warga Fiktif Dua",
            "bio": "Warga Donomulyo",
            "followers": 150,
            "seen_at": "2024-10-05T09:00:00+07:00",
        },
        last,
    ]


@dataclass
class SocialData:
    malang: Election
    lumajang: Election
    malang_source: Source
    malang_run: IngestRun

    def item(self, platform_id: str, platform: str = "x") -> Item:
        return Item.objects.get(platform=platform, platform_id=platform_id)

    def account(self, handle: str) -> Account:
        return Account.objects.get(handle=handle)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Attachments go to a folder of the test, not var/media."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    return folder


def build_social_data(
    folder: Path, regions: dict[str, Region], personas: dict[str, User | None]
) -> SocialData:
    """Three sources: the Malang regent election's (uploaded by the RI admin), the Lumajang
    one's, and one of no election whose only item is by an account confirmed as a Malang
    civil servant's."""
    malang = Election.objects.create(
        slug="pilbup-malang-2024",
        name="Pilbup Malang 2024",
        regime=Regime.PILKADA,
        type=ElectionType.REGENT,
        region=regions["35.07"],
        year=2024,
    )
    lumajang = Election.objects.create(
        slug="pilbup-lumajang-2024",
        name="Pilbup Lumajang 2024",
        regime=Regime.PILKADA,
        type=ElectionType.REGENT,
        region=regions["35.08"],
        year=2024,
    )
    path = jsonl(folder / "malang.jsonl", malang_rows())
    summary = source_upload_ingest(
        upload=SimpleUploadedFile("malang.jsonl", path.read_bytes()),
        format_name=None,
        election=malang,
        actor=personas["ri_admin"],
    )
    lumajang_file = jsonl(
        folder / "lumajang.jsonl",
        [
            {
                "record": "item",
                "platform": "x",
                "id": LUMAJANG,
                "author_id": "2001",
                "author_handle": "warga_lumajang_7",
                "created_at": "2024-10-02T10:00:00+07:00",
                "text": "Konten Lumajang tentang paslon",
            }
        ],
    )
    ingest_file(lumajang_file, election=lumajang)
    national = jsonl(
        folder / "tanpa_pemilihan.jsonl",
        [
            {
                "record": "item",
                "platform": "x",
                "id": LINKED,
                "author_id": "3001",
                "author_handle": "asn_tertaut",
                "created_at": "2024-10-04T10:00:00+07:00",
                "text": "Unggahan akun tertaut dukung paslon",
            }
        ],
    )
    ingest_file(national)
    subject = Subject.objects.create(
        kind=SubjectKind.PNS,
        full_name="Bambang Fiktif Santoso",
        workplace=regions["35.07.02"],
    )
    AccountLink.objects.create(
        subject=subject,
        account=Account.objects.get(handle="asn_tertaut"),
        status=LinkStatus.CONFIRMED,
        confidence=Decimal("0.950"),
        decided_at=datetime(2024, 10, 5, tzinfo=UTC),
    )
    source = Source.objects.get(pk=summary.source_id)
    return SocialData(
        malang=malang,
        lumajang=lumajang,
        malang_source=source,
        malang_run=IngestRun.objects.get(pk=summary.run_id),
    )


@pytest.fixture
def data(
    tmp_path: Path,
    media_root: Path,
    regions: dict[str, Region],
    personas: dict[str, User | None],
) -> SocialData:
    return build_social_data(tmp_path, regions, personas)


def html_of(client: Client, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def listed_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-item="(\d+)"', html)]


# --- one test over every persona and endpoint -----------------------------------------------

OK, DENIED, MISSING, LOGIN = 200, 403, 404, 302
# persona: items, Malang item, its raw record, its author, accounts, imports, Malang run,
# Malang file download, quarantine, manual entry form
EXPECTED = {
    "ri_admin": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "malang_analyst": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # A Panwaslu Kecamatan sees no regency election's data, and loads no files.
    "donomulyo_supervisor": (
        OK,
        MISSING,
        MISSING,
        MISSING,
        OK,
        DENIED,
        DENIED,
        MISSING,
        DENIED,
        OK,
    ),
    "lumajang_analyst": (OK, MISSING, MISSING, MISSING, OK, OK, MISSING, MISSING, OK, OK),
    "bkpsdm_partner": (DENIED,) * 10,
    "anonymous": (LOGIN,) * 10,
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_every_page_answers_each_persona_by_role_and_jurisdiction(
    data: SocialData, client_for: Callable[[str], Client], persona: str
) -> None:
    item = data.item(ROOT)
    provenance = ItemProvenance.objects.get(item=item)
    assert item.author is not None
    urls = [
        "/pantau/konten/",
        f"/pantau/konten/{item.pk}/",
        f"/pantau/konten/{item.pk}/mentah/{provenance.pk}/",
        f"/pantau/akun/{item.author.pk}/",
        "/pantau/akun/",
        "/pantau/impor/",
        f"/pantau/impor/proses/{data.malang_run.pk}/",
        f"/pantau/impor/sumber/{data.malang_source.pk}/lampiran/",
        "/pantau/karantina/",
        "/pantau/konten/baru/",
    ]
    client = client_for(persona)
    statuses = tuple(client.get(url).status_code for url in urls)
    assert statuses == EXPECTED[persona]
    if persona == "anonymous":
        response = client.get(urls[0])
        assert response.headers["Location"] == "/akun/masuk/?next=/pantau/konten/"


def test_a_forbidden_item_reads_exactly_like_a_missing_one(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("malang_analyst")
    forbidden = client.get(f"/pantau/konten/{data.item(LUMAJANG).pk}/")
    missing = client.get("/pantau/konten/999999/")
    assert (forbidden.status_code, missing.status_code) == (404, 404)
    # Byte for byte, but for the CSRF token, which Django masks anew on every page.
    token = re.compile(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')
    assert token.sub(rb"\1", forbidden.content) == token.sub(rb"\1", missing.content)


# --- scope and search -----------------------------------------------------------------------


def test_the_malang_analyst_sees_malang_and_linked_items_and_not_lumajang(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("malang_analyst"), "/pantau/konten/")
    expected = [
        data.item(LINKED).pk,
        data.item(TIKTOK, "tiktok").pk,
        data.item(QUOTE).pk,
        data.item(REPLY2).pk,
        data.item(REPLY).pk,
        data.item(ROOT).pk,
        data.item(GONE).pk,  # no time: last
    ]
    assert listed_ids(html) == expected
    assert "Konten Lumajang" not in html
    assert "01-10-2024 08:00 WIB" in html  # 01:00 UTC
    assert '<span class="badge deleted">dihapus</span>' in html
    assert '<span data-metric="likes">suka 12</span>' in html
    assert '<span data-metric="shares">dibagikan 3</span>' in html
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#x27;netra&#x27;)&lt;/script&gt;" in html


def test_the_lumajang_analyst_sees_only_lumajang(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("lumajang_analyst"), "/pantau/konten/")
    assert listed_ids(html) == [data.item(LUMAJANG).pk]
    accounts = html_of(client_for("lumajang_analyst"), "/pantau/akun/")
    assert re.findall(r'data-account="(\d+)"', accounts) == [
        str(data.account("warga_lumajang_7").pk)
    ]


def test_the_national_admin_sees_every_item(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("ri_admin"), "/pantau/konten/")
    assert sorted(listed_ids(html)) == sorted(Item.objects.values_list("pk", flat=True))
    assert len(listed_ids(html)) == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "PASLON"}, [LINKED, ROOT]),
        ({"platform": "tiktok"}, [TIKTOK]),
        ({"kind": "reply"}, [REPLY2, REPLY]),
        ({"author": "@asn_contoh"}, [REPLY]),
        ({"author": "warga_fiktif_12", "platform": "x"}, [REPLY2, ROOT, GONE]),
        # WIB calendar days: the quote of 05:00 WIB on 2 October is 1 October in UTC.
        ({"date_from": "2024-10-02"}, [LINKED, TIKTOK, QUOTE]),
        ({"date_from": "2024-10-02", "date_to": "2024-10-02"}, [QUOTE]),
        ({"date_to": "2024-10-01"}, [REPLY2, REPLY, ROOT]),
        ({"q": "paslon", "kind": "post", "date_to": "2024-10-03"}, [ROOT]),
    ],
)
def test_the_item_search_filters(
    data: SocialData,
    client_for: Callable[[str], Client],
    query: dict[str, str],
    expected: list[str],
) -> None:
    html = html_of(client_for("malang_analyst"), "/pantau/konten/", data=query)
    by_pk = {item.pk: item.platform_id for item in Item.objects.all()}
    assert [by_pk[pk] for pk in listed_ids(html)] == expected


def test_the_election_filter_keeps_the_items_of_that_election(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("ri_admin")
    html = html_of(client, "/pantau/konten/", data={"election": data.lumajang.pk})
    assert listed_ids(html) == [data.item(LUMAJANG).pk]
    # A Malang analyst cannot even choose the Lumajang election.
    html = html_of(
        client_for("malang_analyst"), "/pantau/konten/", data={"election": data.lumajang.pk}
    )
    assert listed_ids(html) == []
    assert "Periksa isian pencarian" in html


def test_a_bad_date_range_is_refused_in_indonesian(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(
        client_for("malang_analyst"),
        "/pantau/konten/",
        data={"date_from": "2024-10-03", "date_to": "2024-10-01"},
    )
    assert "Tanggal akhir lebih awal dari tanggal mulai." in html
    assert listed_ids(html) == []


def test_the_htmx_search_answers_with_the_results_only(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(
        client_for("malang_analyst"),
        "/pantau/konten/",
        data={"platform": "tiktok"},
        headers={"HX-Request": "true"},
    )
    assert html.lstrip().startswith('<section id="hasil"')
    assert "<html" not in html
    assert listed_ids(html) == [data.item(TIKTOK, "tiktok").pk]


def test_keyset_pages_walk_every_item_once_in_order(data: SocialData) -> None:
    items = Item.objects.all()
    seen: list[int] = []
    cursor = ""
    pages = 0
    while True:
        page = items_page(items, cursor, size=3)
        seen += [item.pk for item in page.rows]
        pages += 1
        assert page.first == (cursor == "")
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    expected = [
        item.pk
        for item in sorted(
            items.exclude(created_at=None), key=lambda i: (i.created_at, i.pk), reverse=True
        )
    ] + list(items.filter(created_at=None).order_by("-pk").values_list("pk", flat=True))
    assert (seen, pages) == (expected, 3)


def test_the_list_links_to_the_next_page(
    data: SocialData, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from netra.monitor import views

    monkeypatch.setattr(views, "items_page", lambda qs, cursor: items_page(qs, cursor, size=4))
    client = client_for("malang_analyst")
    first = html_of(client, "/pantau/konten/", data={"platform": "x"})
    assert len(listed_ids(first)) == 4
    [link] = re.findall(r'href="(\?[^"]*setelah=[^"]*)" rel="next"', first)
    second = html_of(client, "/pantau/konten/" + link.replace("&amp;", "&"))
    assert listed_ids(second) == [data.item(ROOT).pk, data.item(GONE).pk]
    assert "Halaman pertama" in second


# --- the item page --------------------------------------------------------------------------


def test_the_item_page_shows_fields_thread_interactions_and_provenance(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    root = data.item(ROOT)
    html = html_of(client_for("malang_analyst"), f"/pantau/konten/{root.pk}/")
    # Fields, escaped, with links to the platform and never an embedded image.
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#x27;netra&#x27;)&lt;/script&gt;" in html
    assert f'href="https://x.com/warga_fiktif_12/status/{ROOT}"' in html
    assert 'href="https://pbs.twimg.com/media/contoh_fiktif.jpg"' in html
    assert "<img" not in html
    assert "01-10-2024 08:00 WIB" in html
    assert '<li data-metric="likes"><span class="num">12</span> suka</li>' in html
    # The thread: the post, its reply, and the reply to that, indented by parent.
    thread = re.findall(r'<li class="node( current)?" data-depth="(\d)"', html)
    assert thread == [(" current", "0"), ("", "1"), ("", "2")]
    assert html.index("Setuju, mari menangkan") < html.index("Terima kasih dukungannya")
    # Interactions: the stored like, and the reply and the quote that name this post.
    interactions = re.findall(r'<tr data-kind="(\w+)">', html)
    assert interactions == ["like", "reply", "quote"]
    assert "@pemilih_contoh" in html
    assert "@calon_fiktif" in html  # mentioned in the post
    assert "02-10-2024 08:00 WIB" in html  # the like's observation time
    # Provenance: the uploaded file, its format, line and the record's hash.
    provenance = ItemProvenance.objects.get(item=root)
    assert "malang.jsonl" in html
    assert "netra-jsonl" in html
    assert f'<td data-label="Baris">{provenance.line}</td>' in html
    assert provenance.line == 2
    assert provenance.raw_sha256 in html
    assert f"/pantau/konten/{root.pk}/mentah/{provenance.pk}/" in html


def test_an_unsafe_permalink_is_shown_but_never_linked(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("malang_analyst"), f"/pantau/konten/{data.item(QUOTE).pk}/")
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html


def test_a_reply_page_shows_the_whole_thread_with_itself_marked(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    reply = data.item(REPLY2)
    html = html_of(client_for("malang_analyst"), f"/pantau/konten/{reply.pk}/")
    thread = re.findall(r'<li class="node( current)?" data-depth="(\d)"', html)
    assert thread == [("", "0"), ("", "1"), (" current", "2")]
    assert f'href="/pantau/konten/{data.item(REPLY).pk}/">{REPLY}</a>' in html


def test_the_raw_record_is_read_back_and_escaped(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    root = data.item(ROOT)
    provenance = ItemProvenance.objects.get(item=root)
    url = f"/pantau/konten/{root.pk}/mentah/{provenance.pk}/"
    client = client_for("malang_analyst")
    fragment = html_of(client, url, headers={"HX-Request": "true"})
    assert "<html" not in fragment
    assert HOSTILE not in fragment
    assert "&lt;script&gt;" in fragment
    pre = re.search(r'<pre class="raw">(.*?)</pre>', fragment, re.S)
    assert pre is not None
    shown = json.loads(
        pre.group(1)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x27;", "'")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )
    assert shown == malang_rows()[1]
    page = html_of(client, url)
    assert "<html" in page
    assert HOSTILE not in page


def test_a_raw_record_of_another_item_is_not_found(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    root = data.item(ROOT)
    other = ItemProvenance.objects.get(item=data.item(REPLY))
    response = client_for("malang_analyst").get(f"/pantau/konten/{root.pk}/mentah/{other.pk}/")
    assert response.status_code == 404


# --- accounts -------------------------------------------------------------------------------


def test_the_account_page_lists_profile_versions_items_and_interactions(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    account = data.account("warga_fiktif_12")
    html = html_of(client_for("malang_analyst"), f"/pantau/akun/{account.pk}/")
    versions = re.findall(r'<tr data-snapshot="\d+">(.*?)</tr>', html, re.S)
    assert len(versions) == 2
    assert "Warga Fiktif Dua" in versions[0]
    assert "05-10-2024 09:00 WIB" in versions[0]
    assert '<td data-label="Nama tampilan" class="changed">Warga Fiktif Dua</td>' in versions[0]
    assert '<td data-label="Pengikut" class="changed">150</td>' in versions[0]
    assert "Warga Fiktif<" in versions[1]
    assert "01-10-2024 09:00 WIB" in versions[1]
    assert "malang.jsonl" in versions[1]
    assert listed_ids(html) == [data.item(REPLY2).pk, data.item(ROOT).pk, data.item(GONE).pk]
    assert '<tr data-kind="mention">' in html
    assert "@calon_fiktif" in html


def test_the_account_list_searches_and_names_the_linked_subject(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("malang_analyst")
    html = html_of(client, "/pantau/akun/", data={"q": "tertaut"})
    rows = re.findall(r'<tr data-account="(\d+)">(.*?)</tr>', html, re.S)
    assert [pk for pk, _row in rows] == [str(data.account("asn_tertaut").pk)]
    assert "Bambang Fiktif Santoso" in rows[0][1]
    html = html_of(client, "/pantau/akun/", data={"q": "Warga Fiktif Dua"})
    assert re.findall(r'data-account="(\d+)"', html) == [str(data.account("warga_fiktif_12").pk)]
    html = html_of(client, "/pantau/akun/", data={"platform": "tiktok"})
    assert re.findall(r'data-account="(\d+)"', html) == [str(data.account("siti_contoh").pk)]


def test_a_linked_subject_outside_the_jurisdiction_is_not_named(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("ri_admin"), "/pantau/akun/", data={"q": "tertaut"})
    assert "Bambang Fiktif Santoso" in html
    # The Lumajang analyst cannot see the account at all.
    html = html_of(client_for("lumajang_analyst"), "/pantau/akun/", data={"q": "tertaut"})
    assert "data-account=" not in html
    assert "Bambang" not in html


# --- imports --------------------------------------------------------------------------------


def test_an_analyst_uploads_an_x_page_and_lands_on_its_run(
    data: SocialData, client_for: Callable[[str], Client], media_root: Path
) -> None:
    payload = (X_PAYLOADS / "v2_search_recent.json").read_bytes()
    client = client_for("malang_analyst")
    before = Item.objects.count()
    response = client.post(
        "/pantau/impor/",
        {
            "file": SimpleUploadedFile("pencarian.json", payload),
            "format": "",
            "election": data.malang.pk,
        },
    )
    source = Source.objects.get(name="pencarian.json")
    run = IngestRun.objects.get(source=source)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pantau/impor/proses/{run.pk}/"
    assert (source.format, source.election, run.actor) == (
        "x-v2-json",
        data.malang,
        User.objects.get(username="malang_analyst"),
    )
    assert (run.read, run.new, run.quarantined) == (15, 15, 0)
    assert Item.objects.count() == before + 8
    assert (media_root / (source.attachment.name or "")).read_bytes() == payload
    html = html_of(client, response.headers["Location"])
    assert "Berkas dimuat: 15 dibaca, 15 baru, 0 diperbarui, 0 duplikat, 0 dikarantina." in html
    assert '<tr data-type="item"><th scope="row">konten</th><td class="num">8</td>' in html
    listing = html_of(client, "/pantau/impor/")
    row = re.search(rf'<tr data-run="{run.pk}">(.*?)</tr>', listing, re.S)
    assert row is not None
    assert '<td class="num" data-count="new">15</td>' in row.group(1)
    # The analyst now sees the file's items: uploaded by their office, for their election.
    assert "Donomulyo solid" in html_of(client, "/pantau/konten/", data={"q": "Donomulyo"})


def test_an_unknown_file_is_refused_with_the_detection_message(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    sources = Source.objects.count()
    response = client_for("malang_analyst").post(
        "/pantau/impor/",
        {"file": SimpleUploadedFile("catatan.txt", b"bukan data media sosial\n")},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Format berkas &#x27;catatan.txt&#x27; tidak dikenali." in html
    assert Source.objects.count() == sources


def test_an_upload_with_nothing_usable_lands_on_its_run_saying_so(
    data: SocialData, client_for: Callable[[str], Client], media_root: Path
) -> None:
    body = b'{"kind": "youtube#videoListResponse", "items": []}\n{"zz": 1}\n'
    client = client_for("malang_analyst")
    response = client.post(
        "/pantau/impor/",
        {"file": SimpleUploadedFile("salah.jsonl", body), "format": "x-v2-jsonl"},
    )
    source = Source.objects.get(name="salah.jsonl")
    run = IngestRun.objects.get(source=source)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pantau/impor/proses/{run.pk}/"
    assert (run.read, run.quarantined) == (2, 2)
    # Kept for the corrected-file rerun of its quarantine.
    assert (media_root / (source.attachment.name or "")).read_bytes() == body
    html = html_of(client, response.headers["Location"])
    assert (
        '<li class="error">Berkas &#x27;salah.jsonl&#x27;: tidak satu pun dari 2 rekaman '
        "dapat dipakai sebagai x-v2-jsonl; semuanya dikarantina."
    ) in html
    assert "baris 1: baris ini bukan X API v2; kuncinya: kind, items" in html


def test_an_upload_nested_100000_levels_deep_lands_on_its_run_saying_so(
    data: SocialData, client_for: Callable[[str], Client], media_root: Path
) -> None:
    body = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    client = client_for("malang_analyst")
    response = client.post(
        "/pantau/impor/",
        {"file": SimpleUploadedFile("dalam.json", body), "format": "x-v2-json"},
    )
    run = IngestRun.objects.get(source__name="dalam.json")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pantau/impor/proses/{run.pk}/"
    assert (run.read, run.quarantined) == (1, 1)
    html = html_of(client, response.headers["Location"])
    assert "JSON bersarang lebih dari 200 tingkat; tidak dibaca" in html


def test_an_uploaded_x_archive_loads_its_members_and_lists_what_it_did_not_read(
    data: SocialData, client_for: Callable[[str], Client], media_root: Path, tmp_path: Path
) -> None:
    # The layout of X's "Download an archive of your data" (tests/social/test_zipped.py).
    path = tmp_path / "twitter-2024-11-12-fiktif.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("Your archive.html", "<html></html>")
        for name in ("account", "like"):
            out.writestr(f"data/{name}.js", (X_PAYLOADS / f"archive_{name}.js").read_bytes())
        out.writestr("data/tweets_media/1-a.jpg", b"\xff\xd8\xff\xe0 bukan data")
    client = client_for("malang_analyst")

    response = client.post(
        "/pantau/impor/",
        {"file": SimpleUploadedFile(path.name, path.read_bytes()), "election": data.malang.pk},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/pantau/impor/"
    sources = Source.objects.filter(name__startswith=f"{path.name}/").order_by("name")
    assert [source.name for source in sources] == [
        f"{path.name}/data/account.js",
        f"{path.name}/data/like.js",
    ]
    for source in sources:
        assert source.election == data.malang
        assert (media_root / (source.attachment.name or "")).read_bytes() == (
            X_PAYLOADS / f"archive_{source.name.rsplit('/', 1)[1]}"
        ).read_bytes()
    html = html_of(client, "/pantau/impor/")
    assert (
        '<li class="success">Arsip dimuat: 2 berkas di dalamnya dimuat; 3 dibaca, 3 baru, '
        "0 diperbarui, 0 duplikat, 0 dikarantina.</li>"
    ) in html
    assert (
        "2 berkas di arsip tidak dibaca: Your archive.html: halaman, gaya tampilan atau teks "
        "penyerta arsip; data/tweets_media/1-a.jpg: media (foto, video, suara)"
    ) in html


def test_an_upload_over_the_limit_is_refused_in_indonesian(
    data: SocialData, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "UPLOAD_MAX_BYTES", 1024 * 1024)
    sources = Source.objects.count()
    response = client_for("malang_analyst").post(
        "/pantau/impor/",
        {"file": SimpleUploadedFile("besar.jsonl", b"{}\n" * (1024 * 1024))},
    )
    assert response.status_code == 400
    assert "berukuran 3 MB; batas unggahan 1 MB" in response.content.decode()
    assert Source.objects.count() == sources


def test_a_field_supervisor_may_not_upload_and_nothing_is_stored(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    sources = Source.objects.count()
    response = client_for("donomulyo_supervisor").post(
        "/pantau/impor/",
        {"file": SimpleUploadedFile("x.jsonl", json.dumps(malang_rows()[1]).encode())},
    )
    assert response.status_code == 403
    assert Source.objects.count() == sources


# --- quarantine -----------------------------------------------------------------------------


def test_the_quarantine_shows_where_and_why_with_the_raw_line_escaped(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("malang_analyst"), "/pantau/karantina/")
    record = QuarantinedRecord.objects.get(source=data.malang_source)
    row = re.search(rf'<tr data-record="{record.pk}">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = row.group(1)
    assert "malang.jsonl" in cells
    assert f'<td data-label="Baris">{record.line}</td>' in cells
    assert record.line == 11
    assert f'<td data-label="Posisi byte">{record.offset}</td>' in cells
    assert "&lt;b&gt;rusak&lt;/b&gt;" in cells
    assert "<b>rusak" not in html
    assert '<span class="badge open">terbuka</span>' in cells


def test_the_lumajang_analyst_sees_no_malang_quarantine(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("lumajang_analyst"), "/pantau/karantina/")
    assert "data-record=" not in html
    response = client_for("lumajang_analyst").get(
        "/pantau/karantina/", data={"source": data.malang_source.pk}
    )
    assert "Muat ulang berkas" not in response.content.decode()


def test_a_fixed_file_resolves_the_quarantine_of_its_source(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    fixed = jsonl(tmp_path / "malang_perbaikan.jsonl", malang_rows(broken=False))
    client = client_for("malang_analyst")
    record = QuarantinedRecord.objects.get(source=data.malang_source)
    response = client.post(
        f"/pantau/karantina/{data.malang_source.pk}/ulang/",
        {"file": SimpleUploadedFile(fixed.name, fixed.read_bytes())},
    )
    new_source = Source.objects.get(name="malang_perbaikan.jsonl")
    run = IngestRun.objects.get(source=new_source)
    record.refresh_from_db()
    assert response.status_code == 302
    assert record.resolved_by == run
    assert (new_source.format, new_source.election) == ("netra-jsonl", data.malang)
    assert (run.read, run.quarantined) == (11, 0)
    assert data.item(BROKEN).text == "<b>rusak</b> sudah diperbaiki"
    [event] = Event.objects.filter(kind="social.quarantine_resolved")
    assert event.params == {"run": run.pk, "source": new_source.pk, "records": 1}
    assert event.actor == User.objects.get(username="malang_analyst")
    html = html_of(client, response.headers["Location"])
    assert (
        f"1 rekaman karantina diselesaikan oleh proses impor {run.pk} "
        "(0 rekaman baru dikarantina)." in html
    )
    row = re.search(rf'<tr data-record="{record.pk}" class="resolved">(.*?)</tr>', html, re.S)
    assert row is not None
    assert f'<a href="/pantau/impor/proses/{run.pk}/">proses impor {run.pk}</a>' in row.group(1)
    # Nothing is left to re-run.
    assert "0 rekaman belum diselesaikan" in html


def test_the_same_broken_file_resolves_nothing(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    same = jsonl(tmp_path / "malang.jsonl", malang_rows())
    response = client_for("malang_analyst").post(
        f"/pantau/karantina/{data.malang_source.pk}/ulang/",
        {"file": SimpleUploadedFile("malang_lagi.jsonl", same.read_bytes())},
    )
    assert response.status_code == 400
    assert "Berkas perbaikan sama persis dengan berkas" in response.content.decode()
    assert QuarantinedRecord.objects.get(source=data.malang_source).resolved_by is None
    assert not Event.objects.filter(kind="social.quarantine_resolved").exists()


def test_another_regency_cannot_rerun_a_malang_source(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    fixed = jsonl(tmp_path / "perbaikan.jsonl", malang_rows(broken=False))
    sources = Source.objects.count()
    response = client_for("lumajang_analyst").post(
        f"/pantau/karantina/{data.malang_source.pk}/ulang/",
        {"file": SimpleUploadedFile(fixed.name, fixed.read_bytes())},
    )
    assert response.status_code == 404
    assert Source.objects.count() == sources
    assert QuarantinedRecord.objects.get(source=data.malang_source).resolved_by is None


# --- navigation -----------------------------------------------------------------------------

STAFF_LINKS = ["Beranda", "Konten", "Akun", "Entri manual"]


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        # "Antrean tanda": detection's triage queue (detection/urls.py); "Tautan akun": the
        # registry's review of proposed account links (registry/urls.py).
        ("ri_admin", [*STAFF_LINKS, "Impor", "Karantina", "Antrean tanda", "Tautan akun"]),
        ("malang_analyst", [*STAFF_LINKS, "Impor", "Karantina", "Antrean tanda", "Tautan akun"]),
        ("donomulyo_supervisor", [*STAFF_LINKS, "Antrean tanda", "Tautan akun"]),
        ("bkpsdm_partner", []),
    ],
)
def test_the_section_links_follow_the_role(
    personas: dict[str, User | None],
    client_for: Callable[[str], Client],
    persona: str,
    links: list[str],
) -> None:
    html = html_of(client_for(persona), "/")
    nav = re.search(r'<nav class="sections"[^>]*>(.*?)</nav>', html, re.S)
    found = re.findall(r">([^<>]+)</a>", nav.group(1)) if nav else []
    assert found == links
