"""The review of proposed account links (/registri/tautan/): who sees which, who decides."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.http import Http404
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from netra.core.models import Event
from netra.geo.models import Region
from netra.registry.access import access_account_link_for_user
from netra.registry.models import AccountLink, Agency, LinkReason, LinkStatus, Subject
from netra.registry.selectors import proposed_links_for_user
from netra.registry.services import account_link_decide, account_link_propose
from netra.social.accounts import account_upsert
from netra.social.models import AccountSnapshot, Source
from netra.staff.models import User

ClientFor = Callable[[str], Client]
URL = "/registri/tautan/"


@dataclass(frozen=True)
class Links:
    siti: AccountLink  # Kab. Malang, proposed by the Malang analyst
    hartono: AccountLink  # Kab. Lumajang, proposed by an import (no staff user)
    owned: AccountLink  # Kab. Malang, on an account another subject already owns


@pytest.fixture
def links(regions: dict[str, Region], personas: dict[str, User | None]) -> Links:
    return build_links(personas)


# One unbroken string: the page must wrap it, not overflow a phone's width.
LONG_EVIDENCE = "https://lumajang.example/profil/siti_rahmawati_guru_sd_negeri_tempursari_2024_asli"
# What a linkage run gives; one reason against, one evidence with markup to be escaped.
SITI_REASONS = (
    LinkReason("handle", "Nama akun mirip nama subjek (70%).", "@siti_guru", 0.1, "handle"),
    LinkReason(
        "position",
        "Profil menyebut jabatan subjek (guru).",
        "Guru SD di Tulungrejo <b>Kab. Malang</b>, SDN 1 Tulungrejo, Kecamatan Donomulyo",
        0.3,
        "bio",
    ),
    LinkReason("region_conflict", "Profil menyebut wilayah lain.", LONG_EVIDENCE, -0.6, "bio"),
)


def build_links(personas: dict[str, User | None]) -> Links:
    """Three proposed links and one confirmed, over Kab. Malang and Kab. Lumajang subjects
    (needs the ``regions`` fixture's rows)."""
    malang = Agency.objects.create(name="Dinas Pendidikan Kabupaten Malang", region_id="35.07")
    lumajang = Agency.objects.create(name="Dinas Pendidikan Kabupaten Lumajang", region_id="35.08")
    siti = Subject.objects.create(
        kind="pns",
        full_name="Siti Rahmawati",
        nip="198501012010012001",
        position="Guru",
        agency=malang,
        workplace_id="35.07.01.2001",
    )
    hartono = Subject.objects.create(
        kind="pns", full_name="Hartono", agency=lumajang, workplace_id="35.08.01"
    )
    budi = Subject.objects.create(kind="village_head", full_name="Budi", workplace_id="35.07.02")
    siti_x = account_upsert(
        platform="x",
        handle="siti_guru",
        display_name="Bu Siti",
        url="https://x.com/siti_guru",
        bio="Guru SD di Tulungrejo <b>Kab. Malang</b>",
    )
    source = Source.objects.create(kind="file", name="ekspor.jsonl", format="x", sha256="e" * 64)
    seen = AccountSnapshot.objects.create(
        account=siti_x,
        source=source,
        seen_at=datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        bio=siti_x.bio,
        digest="d",
    )
    hartono_x = account_upsert(platform="x", handle="hartono_l")
    shared = account_upsert(platform="tiktok", handle="kades_budi")
    analyst = personas["malang_analyst"]
    assert isinstance(analyst, User)
    confirmed = account_link_propose(
        subject=budi, account=shared, confidence="0.9", proof="Profil resmi desa"
    )
    account_link_decide(link=confirmed, status=LinkStatus.CONFIRMED, actor=analyst)
    return Links(
        siti=account_link_propose(
            subject=siti,
            account=siti_x,
            confidence="0.85",
            proof="Foto profil sama dengan foto di situs sekolah.\nNama di bio: Siti R.",
            reasons=SITI_REASONS,
            proof_snapshot=seen,
            actor=analyst,
        ),
        hartono=account_link_propose(
            subject=hartono, account=hartono_x, confidence="0.4", proof=""
        ),
        owned=account_link_propose(
            subject=siti, account=shared, confidence="0.2", proof="Sering membagikan"
        ),
    )


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-link="(\d+)">', html)]


def _row(html: str, link: AccountLink) -> str:
    return html.split(f'<tr data-link="{link.pk}">', 1)[1].split("</tr>", 1)[0]


def _decision_url(link: AccountLink) -> str:
    return f"{URL}{link.pk}/putuskan/"


@pytest.mark.parametrize(
    ("persona", "status", "shown", "buttons"),
    [
        ("anonymous", 302, None, None),
        ("ri_admin", 200, ["siti", "hartono", "owned"], True),
        ("malang_analyst", 200, ["siti", "owned"], True),
        # Siti works in Tulungrejo, within Donomulyo; a field supervisor reads, not decides.
        ("donomulyo_supervisor", 200, ["siti", "owned"], False),
        ("lumajang_analyst", 200, ["hartono"], True),
        ("bkpsdm_partner", 403, None, None),
    ],
)
def test_each_office_reviews_the_links_of_its_own_subjects(
    client_for: ClientFor,
    links: Links,
    persona: str,
    status: int,
    shown: list[str] | None,
    buttons: bool | None,
) -> None:
    response = client_for(persona).get(URL)

    assert response.status_code == status
    if persona == "anonymous":
        assert response.headers["Location"] == f"/akun/masuk/?next={URL}"
    if shown is None:
        return
    html = response.content.decode()
    assert _shown(html) == [getattr(links, name).pk for name in shown]
    assert ('name="keputusan" value="rejected"' in html) is buttons


def test_a_row_shows_subject_account_proof_and_proposer(
    client_for: ClientFor, links: Links
) -> None:
    html = client_for("malang_analyst").get(URL).content.decode()

    assert '<p class="count" data-count="2">2 tautan menunggu keputusan.</p>' in html
    siti = _row(html, links.siti)
    for text in (
        "<strong>Siti Rahmawati</strong>",
        "PNS · Guru",
        "Dinas Pendidikan Kabupaten Malang · 35.07.01.2001 Tulungrejo",
        "X (Twitter)",
        '<a href="https://x.com/siti_guru" rel="noopener noreferrer nofollow" target="_blank">'
        "@siti_guru</a>",
        "Bu Siti",
        "keyakinan 85%",
        '<p class="proof">Foto profil sama dengan foto di situs sekolah.\nNama di bio: Siti R.</p>',
        '<span class="proposer">Malang Analyst</span>',
        'name="keputusan" value="confirmed"',
    ):
        assert text in siti
    # The reasons of the proposal, strongest first, with their weight and evidence (escaped).
    reasons = re.findall(
        r'<li data-kind="(\w+)"(?: class="(against)")?>\s*<span class="weight">([^<]+)</span>'
        r"\s*([^<]+?)\s*<q class=\"evidence\">([^<]*)</q>",
        siti,
    )
    assert reasons == [
        ("region_conflict", "against", "-60%", "Profil menyebut wilayah lain.", LONG_EVIDENCE),
        (
            "position",
            "",
            "+30%",
            "Profil menyebut jabatan subjek (guru).",
            "Guru SD di Tulungrejo &lt;b&gt;Kab. Malang&lt;/b&gt;, SDN 1 Tulungrejo, "
            "Kecamatan Donomulyo",
        ),
        ("handle", "", "+10%", "Nama akun mirip nama subjek (70%).", "@siti_guru"),
    ]
    # Seen at 09.30 UTC: 16.30 in Jakarta (WIB), as the office reads it.
    assert "Bukti: profil akun seperti terlihat 5 Maret 2024, 16.30." in siti
    # A link proposed by hand has no reasons list.
    assert 'class="reasons"' not in _row(html, links.owned)
    # The account already has a confirmed owner: only rejecting is offered.
    owned = _row(html, links.owned)
    assert "sudah dikonfirmasi milik subjek lain" in owned
    assert 'value="confirmed"' not in owned
    assert 'value="rejected"' in owned
    assert '<span class="proposer">sistem (tanpa petugas)</span>' in owned


def test_the_sections_nav_links_to_the_review(client_for: ClientFor, links: Links) -> None:
    html = client_for("donomulyo_supervisor").get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Tautan akun</a>' in html
    assert "Tautan akun</a>" not in client_for("bkpsdm_partner").get("/").content.decode()


@pytest.mark.parametrize(
    ("decision", "status", "kind", "message"),
    [
        (
            "confirmed",
            LinkStatus.CONFIRMED,
            "registry.account_link_confirmed",
            "Tautan Siti Rahmawati ↔ X (Twitter) @siti_guru dikonfirmasi.",
        ),
        (
            "rejected",
            LinkStatus.REJECTED,
            "registry.account_link_rejected",
            "Tautan Siti Rahmawati ↔ X (Twitter) @siti_guru ditolak.",
        ),
    ],
)
def test_an_analyst_decides_a_link_of_her_office(
    client_for: ClientFor,
    personas: dict[str, User | None],
    links: Links,
    decision: str,
    status: LinkStatus,
    kind: str,
    message: str,
) -> None:
    client = client_for("malang_analyst")

    response = client.post(_decision_url(links.siti), {"keputusan": decision}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    link = AccountLink.objects.get(pk=links.siti.pk)
    assert (link.status, link.decided_by) == (status, personas["malang_analyst"])
    events = Event.objects.filter(subject_id=str(link.pk), kind__startswith="registry.")
    assert list(events.order_by("at", "pk").values_list("kind", "actor__username")) == [
        ("registry.account_link_proposed", "malang_analyst"),
        (kind, "malang_analyst"),
    ]
    html = response.content.decode()
    assert f'<li class="success">{message}</li>' in html
    assert _shown(html) == [links.owned.pk]


@pytest.mark.parametrize(
    ("persona", "status", "decided"),
    [
        ("anonymous", 302, False),
        ("ri_admin", 302, True),
        ("malang_analyst", 302, True),
        ("donomulyo_supervisor", 403, False),
        ("lumajang_analyst", 404, False),
        ("bkpsdm_partner", 403, False),
    ],
)
def test_only_analysts_and_above_covering_the_subject_may_decide(
    client_for: ClientFor, links: Links, persona: str, status: int, decided: bool
) -> None:
    before = Event.objects.count()

    response = client_for(persona).post(_decision_url(links.siti), {"keputusan": "rejected"})

    assert response.status_code == status
    link = AccountLink.objects.get(pk=links.siti.pk)
    assert link.status == (LinkStatus.REJECTED if decided else LinkStatus.PROPOSED)
    assert Event.objects.count() == before + (1 if decided else 0)


def test_a_missing_link_is_a_404_like_a_forbidden_one(client_for: ClientFor, links: Links) -> None:
    client = client_for("malang_analyst")
    assert client.post(f"{URL}99999999/putuskan/", {"keputusan": "rejected"}).status_code == 404
    assert client.post(_decision_url(links.hartono), {"keputusan": "rejected"}).status_code == 404


def test_a_decided_link_cannot_be_decided_again(
    client_for: ClientFor, personas: dict[str, User | None], links: Links
) -> None:
    admin = personas["ri_admin"]
    assert isinstance(admin, User)
    account_link_decide(link=links.siti, status=LinkStatus.REJECTED, actor=admin)
    before = Event.objects.count()

    response = client_for("malang_analyst").post(
        _decision_url(links.siti), {"keputusan": "confirmed"}, follow=True
    )

    assert AccountLink.objects.get(pk=links.siti.pk).status == LinkStatus.REJECTED
    assert Event.objects.count() == before
    assert "sudah diputuskan (Ditolak); keputusan tidak dapat diubah." in response.content.decode()


def test_confirming_an_account_that_has_an_owner_is_refused(
    client_for: ClientFor, links: Links
) -> None:
    before = Event.objects.count()

    response = client_for("malang_analyst").post(
        _decision_url(links.owned), {"keputusan": "confirmed"}, follow=True
    )

    assert AccountLink.objects.get(pk=links.owned.pk).status == LinkStatus.PROPOSED
    assert Event.objects.count() == before
    assert '<li class="error">Akun TikTok @kades_budi sudah dikonfirmasi sebagai milik Budi' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Pilih keputusan: konfirmasi atau tolak."),
        (
            {"keputusan": "proposed"},
            "Keputusan proposed tidak dikenal: pilih konfirmasi atau tolak.",
        ),
    ],
)
def test_an_unknown_decision_is_refused_with_a_clear_message(
    client_for: ClientFor, links: Links, data: dict[str, str], message: str
) -> None:
    response = client_for("malang_analyst").post(_decision_url(links.siti), data)

    assert (response.status_code, response.content.decode()) == (400, message)
    assert AccountLink.objects.get(pk=links.siti.pk).status == LinkStatus.PROPOSED


def test_a_decision_needs_post_and_a_csrf_token(
    client_for: ClientFor, personas: dict[str, User | None], links: Links
) -> None:
    assert client_for("malang_analyst").get(_decision_url(links.siti)).status_code == 405
    supervisor = personas["donomulyo_supervisor"]
    assert isinstance(supervisor, User)
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)  # no second factor to pass

    response = client.post(_decision_url(links.siti), {"keputusan": "rejected"})

    assert response.status_code == 403
    assert AccountLink.objects.get(pk=links.siti.pk).status == LinkStatus.PROPOSED


def test_access_account_link_for_user_answers_404_outside_the_jurisdiction(
    personas: dict[str, User | None], links: Links
) -> None:
    lumajang = personas["lumajang_analyst"]
    assert isinstance(lumajang, User)
    assert access_account_link_for_user(lumajang, links.hartono.pk) == links.hartono
    for link_id in (links.siti.pk, "x", 0):
        with pytest.raises(Http404):
            access_account_link_for_user(lumajang, link_id)


def test_the_review_list_is_one_query(
    personas: dict[str, User | None],
    links: Links,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    admin = personas["ri_admin"]
    assert isinstance(admin, User)
    list(proposed_links_for_user(admin))  # warm the content-type cache
    with django_assert_num_queries(1):
        rows = [
            (
                link.subject.agency,
                link.subject.workplace.name,
                link.account.handle,
                link.proposed_by,
            )
            for link in proposed_links_for_user(admin)
        ]
    assert [row[2:] for row in rows] == [
        ("siti_guru", "Malang Analyst"),
        ("hartono_l", None),
        ("kades_budi", None),
    ]
