"""What the monitoring pages tell a new user: counts and a full pager, the people behind
accounts, liked items, manual entries with their screenshots, a file's earlier loads and
its items, and a sign-in that shows no sections before the second factor."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.elections.models import Candidate, CandidateAccount
from netra.geo.models import Region
from netra.monitor import views
from netra.monitor.pages import (
    id_page,
    id_page_before,
    items_page,
    items_page_before,
    total_capped,
)
from netra.registry.models import AccountLink, Agency, LinkStatus, Subject, SubjectKind
from netra.social.models import Account, IngestRun, Item, ItemProvenance, Source
from netra.staff.models import User
from tests.monitor.test_views import (
    LINKED,
    QUOTE,
    ROOT,
    TIKTOK,
    X_PAYLOADS,
    SocialData,
    html_of,
    listed_ids,
)
from tests.social.test_services_manual import png_bytes


def link_subject(subject: Subject, account: Account, status: str = LinkStatus.CONFIRMED) -> None:
    AccountLink.objects.create(
        subject=subject,
        account=account,
        status=status,
        confidence=Decimal("0.900"),
        decided_at=None if status == LinkStatus.PROPOSED else datetime(2024, 10, 5, tzinfo=UTC),
    )


def liker_in_donomulyo(data: SocialData, regions: dict[str, Region]) -> Account:
    """The account that liked the Malang post, made a Donomulyo village official's: the
    field supervisor sees the account and its like, not the regency election's post."""
    official = Subject.objects.create(
        kind=SubjectKind.VILLAGE_OFFICIAL,
        full_name="Rahmat Fiktif",
        workplace=regions["35.07.01.2001"],
    )
    liker = data.account("pemilih_contoh")
    link_subject(official, liker)
    return liker


# --- counts and pages -----------------------------------------------------------------------


def test_the_item_list_counts_its_results(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("malang_analyst"), "/pantau/konten/")
    assert '<p class="total" data-total="7">7 konten cocok</p>' in html
    html = html_of(client_for("malang_analyst"), "/pantau/konten/", data={"platform": "tiktok"})
    assert '<p class="total" data-total="1">1 konten cocok</p>' in html
    assert total_capped(Item.objects.all(), cap=3).label == "lebih dari 3"
    assert total_capped(Item.objects.all(), cap=8).label == "8"
    accounts = html_of(client_for("lumajang_analyst"), "/pantau/akun/")
    assert '<p class="total" data-total="1">1 akun cocok</p>' in accounts


def test_previous_pages_walk_back_over_the_same_rows(data: SocialData) -> None:
    items = Item.objects.all()
    pages = []
    cursor = ""
    while True:
        page = items_page(items, cursor, size=3)
        pages.append([item.pk for item in page.rows])
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    # From the last page (undated items included) back to the first.
    back = [pages[-1]]
    cursor = page.prev_cursor
    while cursor:
        page = items_page_before(items, cursor, size=3)
        back.insert(0, [item.pk for item in page.rows])
        cursor = page.prev_cursor
    assert page.first
    assert back == pages
    accounts = Account.objects.all()
    first = id_page(accounts, size=4)
    second = id_page(accounts, first.next_cursor, size=4)
    assert id_page_before(accounts, second.prev_cursor, size=4).rows == first.rows


def test_the_pager_links_first_previous_and_next(
    data: SocialData, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "items_page", lambda qs, cursor: items_page(qs, cursor, size=2))
    monkeypatch.setattr(
        views, "items_page_before", lambda qs, cursor: items_page_before(qs, cursor, size=2)
    )
    client = client_for("malang_analyst")

    def links(html: str) -> dict[str, str]:
        nav = re.search(r'<nav class="pager"[^>]*>(.*?)</nav>', html, re.S)
        assert nav is not None
        return {
            text.strip(" «‹›"): href.replace("&amp;", "&")
            for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', nav.group(1))
        }

    first = html_of(client, "/pantau/konten/")
    assert list(links(first)) == ["Berikutnya"]
    second = html_of(client, "/pantau/konten/" + links(first)["Berikutnya"])
    third = html_of(client, "/pantau/konten/" + links(second)["Berikutnya"])
    assert list(links(third)) == ["Halaman pertama", "Sebelumnya", "Berikutnya"]
    back = html_of(client, "/pantau/konten/" + links(third)["Sebelumnya"])
    assert listed_ids(back) == listed_ids(second)
    back = html_of(client, "/pantau/konten/" + links(back)["Sebelumnya"])
    assert listed_ids(back) == listed_ids(first)
    assert "Sebelumnya" not in links(back)
    assert '<p class="total" data-total="7">7 konten cocok</p>' in back


# --- the people behind accounts -------------------------------------------------------------


def test_rows_name_the_subject_kind_agency_and_link_status_within_the_jurisdiction(
    data: SocialData, client_for: Callable[[str], Client], regions: dict[str, Region]
) -> None:
    village = Agency.objects.create(name="Pemerintah Desa Tulungrejo", region=regions["35.07.01"])
    head = Subject.objects.create(
        kind=SubjectKind.VILLAGE_HEAD,
        full_name="Sutrisno Fiktif",
        position="Kepala Desa Tulungrejo",
        agency=village,
        workplace=regions["35.07.01.2001"],
    )
    link_subject(head, data.account("siti_contoh"))
    link_subject(head, data.account("kader_contoh"), LinkStatus.PROPOSED)
    html = html_of(client_for("malang_analyst"), "/pantau/konten/")
    row = re.search(rf'data-item="{data.item(TIKTOK, "tiktok").pk}">(.*?)</li>', html, re.S)
    assert row is not None
    assert (
        f'<span class="subject" data-subject="{head.pk}" data-link="confirmed">'
        '<span class="badge kind">Kepala desa</span> <strong>Sutrisno Fiktif</strong> '
        '<span class="muted">Kepala Desa Tulungrejo, Pemerintah Desa Tulungrejo</span> '
        '<span class="badge link confirmed">tautan dikonfirmasi</span></span>'
    ) in row.group(1)
    quote = re.search(rf'data-item="{data.item(QUOTE).pk}">(.*?)</li>', html, re.S)
    assert quote is not None
    assert '<span class="badge link proposed">tautan diusulkan</span>' in quote.group(1)
    # The item page says it of the author and of the quote among the interactions.
    page = html_of(client_for("malang_analyst"), f"/pantau/konten/{data.item(ROOT).pk}/")
    assert page.count("Sutrisno Fiktif") == 1  # the quote's author, a proposed link
    assert html_of(client_for("malang_analyst"), "/pantau/akun/").count("Sutrisno Fiktif") == 2
    # A subject outside the jurisdiction is never named, even to whom sees the account.
    lumajang_subject = Subject.objects.create(
        kind=SubjectKind.PNS, full_name="Joko Fiktif", workplace=regions["35.08.01"]
    )
    link_subject(lumajang_subject, data.account("warga_lumajang_7"))
    assert "Joko Fiktif" not in html_of(client_for("malang_analyst"), "/pantau/akun/")
    assert "Joko Fiktif" in html_of(client_for("lumajang_analyst"), "/pantau/akun/")


def test_the_registered_filter_keeps_the_items_of_linked_accounts(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    html = html_of(client_for("malang_analyst"), "/pantau/konten/", data={"registered": "on"})
    assert listed_ids(html) == [data.item(LINKED).pk]
    assert "Bambang Fiktif Santoso" in html
    html = html_of(client_for("ri_admin"), "/pantau/konten/", data={"registered": "on"})
    assert listed_ids(html) == [data.item(LINKED).pk]
    # Lumajang's subjects have no account here.
    html = html_of(client_for("lumajang_analyst"), "/pantau/konten/", data={"registered": "on"})
    assert listed_ids(html) == []


def test_a_candidates_official_account_is_marked_in_the_elections_one_may_see(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    malang = Candidate.objects.create(election=data.malang, number=1, name="Calon Fiktif")
    lumajang = Candidate.objects.create(election=data.lumajang, number=3, name="Calon Lain")
    CandidateAccount.objects.create(
        candidate=malang, platform="x", handle="Kader_Contoh", is_campaign_team=True
    )
    CandidateAccount.objects.create(candidate=lumajang, platform="x", handle="kader_contoh")
    marked = "akun tim pemenangan 1. Calon Fiktif (Pilbup Malang 2024)"
    other = "akun resmi calon 3. Calon Lain (Pilbup Lumajang 2024)"
    html = html_of(client_for("malang_analyst"), "/pantau/konten/")
    quote = re.search(rf'data-item="{data.item(QUOTE).pk}">(.*?)</li>', html, re.S)
    assert quote is not None
    assert marked in quote.group(1)
    assert other not in html
    account = html_of(client_for("ri_admin"), f"/pantau/akun/{data.account('kader_contoh').pk}/")
    assert "1. Calon Fiktif" in account
    assert "3. Calon Lain" in account


# --- what an account did --------------------------------------------------------------------


def test_a_like_shows_the_liked_item_or_only_its_link_when_out_of_sight(
    data: SocialData, client_for: Callable[[str], Client], regions: dict[str, Region]
) -> None:
    liker = liker_in_donomulyo(data, regions)
    root = data.item(ROOT)
    supervisor = html_of(client_for("donomulyo_supervisor"), f"/pantau/akun/{liker.pk}/")
    target = re.search(r'<td data-label="Sasaran" class="target">(.*?)</td>', supervisor, re.S)
    assert target is not None
    assert target.group(1) == (
        '<span class="muted out-of-sight">Konten di luar wilayah Anda atau belum tersimpan'
        f'</span> · <a href="https://x.com/warga_fiktif_12/status/{ROOT}" rel="noopener '
        'noreferrer nofollow" target="_blank">buka di platform</a>'
    )
    assert "Ayo dukung paslon" not in supervisor
    assert f"/pantau/konten/{root.pk}/" not in supervisor
    analyst = html_of(client_for("malang_analyst"), f"/pantau/akun/{liker.pk}/")
    target = re.search(r'<td data-label="Sasaran" class="target">(.*?)</td>', analyst, re.S)
    assert target is not None
    assert f'<a href="/pantau/konten/{root.pk}/">Ayo dukung paslon' in target.group(1)
    assert "@warga_fiktif_12" in target.group(1)


# --- manual entries -------------------------------------------------------------------------


def test_an_entry_shows_its_screenshot_and_who_entered_it(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    supervisor = client_for("donomulyo_supervisor")
    image = png_bytes()
    response = supervisor.post(
        "/pantau/konten/baru/",
        {
            "url": "https://x.com/kades_contoh/status/1850000000000000001",
            "author_handle": "kades_contoh",
            "text": "Kepala desa ikut kampanye 🗳️",
            "screenshot": SimpleUploadedFile("layar.png", image),
        },
    )
    item = Item.objects.get(platform_id="1850000000000000001")
    provenance = ItemProvenance.objects.get(item=item)
    url = f"/pantau/konten/{item.pk}/tangkapan/{provenance.pk}/"
    html = html_of(supervisor, response.headers["Location"])
    assert (
        f'<a href="{url}"><img src="{url}" alt="Tangkapan layar yang dilampirkan pada entri ini"'
        in html
    )
    assert "Dimasukkan oleh Donomulyo Supervisor (Panwaslu Kecamatan Donomulyo), " in re.sub(
        r"\s+", " ", html
    )
    assert "/media/" not in html
    for persona, status in [
        ("donomulyo_supervisor", 200),
        ("malang_analyst", 200),
        ("lumajang_analyst", 404),
        ("bkpsdm_partner", 403),
    ]:
        assert client_for(persona).get(url).status_code == status, persona
    shown = supervisor.get(url)
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content) == image  # type: ignore[attr-defined]
    # A provenance from a file has no screenshot.
    root = data.item(ROOT)
    loaded = ItemProvenance.objects.get(item=root)
    response = client_for("malang_analyst").get(f"/pantau/konten/{root.pk}/tangkapan/{loaded.pk}/")
    assert response.status_code == 404


# --- imports --------------------------------------------------------------------------------


def test_a_file_loaded_again_says_so_and_links_the_earlier_run(
    data: SocialData, client_for: Callable[[str], Client]
) -> None:
    payload = (X_PAYLOADS / "v2_search_recent.json").read_bytes()
    client = client_for("malang_analyst")
    first = client.post(
        "/pantau/impor/", {"file": SimpleUploadedFile("pencarian.json", payload)}, follow=True
    )
    assert "Berkas ini sudah pernah dimuat" not in first.content.decode()
    again = client.post(
        "/pantau/impor/", {"file": SimpleUploadedFile("pencarian_lagi.json", payload)}
    )
    sha256 = Source.objects.get(name="pencarian.json").sha256
    earlier, later = IngestRun.objects.filter(source__sha256=sha256).order_by("pk")
    assert again.headers["Location"] == f"/pantau/impor/proses/{later.pk}/"
    html = html_of(client, again.headers["Location"])
    assert (
        f"Berkas yang sama sudah pernah dimuat (proses impor {earlier.pk}); isinya tidak "
        "disimpan dua kali." in html
    )
    assert f'<li data-earlier="{earlier.pk}"><a href="/pantau/impor/proses/{earlier.pk}/">' in html
    assert "15 dibaca, 0 baru, 0 diperbarui, 15 duplikat, 0 dikarantina." in html


def test_a_run_page_links_to_the_items_of_its_file(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    client = client_for("malang_analyst")
    run = data.malang_run
    html = html_of(client, f"/pantau/impor/proses/{run.pk}/")
    link = f'<a href="/pantau/konten/?source={run.source_id}">Lihat 6 konten »</a>'
    assert link in html
    listing = html_of(client, f"/pantau/konten/?source={run.source_id}")
    assert sorted(listed_ids(listing)) == sorted(
        ItemProvenance.objects.filter(source_id=run.source_id).values_list("item_id", flat=True)
    )
    assert "Hanya konten yang dibaca dari sumber malang.jsonl" in listing
    # Another regency cannot list it, nor learn that it exists.
    other = html_of(client_for("lumajang_analyst"), f"/pantau/konten/?source={run.source_id}")
    assert "Sumber yang dipilih tidak ada dalam wilayah Anda." in other
    assert listed_ids(other) == []


# --- signing in -----------------------------------------------------------------------------


def test_the_second_factor_page_shows_no_sections(
    data: SocialData, client_for: Callable[[str], Client], personas: dict[str, User | None]
) -> None:
    client = Client()
    analyst = personas["ri_admin"]
    assert analyst is not None
    client.force_login(analyst)
    TOTPDevice.objects.create(user=analyst, name="telepon", confirmed=True)
    html = html_of(client, "/akun/verifikasi/")
    assert '<nav class="sections"' not in html
    assert "Data rujukan" not in html
    assert "Keluar" in html
    verified = html_of(client_for("ri_admin"), "/")
    assert '<nav class="sections"' in verified
    assert "Data rujukan" in verified
