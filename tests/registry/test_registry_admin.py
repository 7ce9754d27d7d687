"""The registry admin: Indonesian pages, jurisdiction-scoped lists, links decided by services."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.events import events_for
from netra.core.models import Event
from netra.elections.models import Candidate, Election
from netra.geo.models import Region
from netra.registry.models import AccountLink, Agency, CandidateRelation, LinkStatus, Subject
from netra.registry.services import account_link_propose
from netra.social.accounts import account_upsert
from netra.staff.models import Office, Role, User

ClientFor = Callable[[str], Client]


@pytest.fixture
def registry(regions: dict[str, Region]) -> dict[str, Subject]:
    malang = Agency.objects.create(name="Dinas Pendidikan Kabupaten Malang", region_id="35.07")
    lumajang = Agency.objects.create(name="Dinas Pendidikan Kabupaten Lumajang", region_id="35.08")
    return {
        "siti": Subject.objects.create(
            kind="pns",
            full_name="Siti Rahmawati",
            nip="198501012010012001",
            position="Guru",
            agency=malang,
            workplace_id="35.07.01.2001",
        ),
        "hartono": Subject.objects.create(
            kind="pns",
            full_name="Hartono",
            nip="197512122000031005",
            agency=lumajang,
            workplace_id="35.08.01",
        ),
    }


def _malang_admin(offices: dict[str, Office]) -> tuple[User, Client]:
    """An is_staff admin of Bawaslu Kabupaten Malang with every registry permission."""
    user = User.objects.create(
        username="admin_malang", office=offices["malang"], role=Role.ADMIN, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["registry", "social"])
    )
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return user, client


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/registry/subject/", "Pilih subjek untuk diubah"),
        ("/admin/registry/agency/", "Pilih instansi untuk diubah"),
        ("/admin/registry/accountlink/", "Pilih tautan akun untuk diubah"),
        ("/admin/social/account/", "Pilih akun media sosial untuk diubah"),
        ("/admin/registry/subject/add/", "Tambahkan subjek"),
        ("/admin/registry/accountlink/add/", "Tambahkan tautan akun"),
    ],
)
def test_every_registry_page_loads_in_indonesian(
    client_for: ClientFor, registry: dict[str, Subject], url: str, title: str
) -> None:
    response = client_for("ri_admin").get(url)

    assert response.status_code == 200
    assert title in response.content.decode()


def test_the_subject_page_shows_its_account_links_and_candidate_relations(
    client_for: ClientFor, registry: dict[str, Subject]
) -> None:
    account = account_upsert(platform="x", handle="siti_fiktif")
    account_link_propose(subject=registry["siti"], account=account, confidence=0.7, proof="foto")

    response = client_for("ri_admin").get(f"/admin/registry/subject/{registry['siti'].pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "X (Twitter) @siti_fiktif" in html
    assert "Diusulkan" in html
    assert "Hubungan dengan calon" in html


def test_subjects_are_searched_by_nip_prefix(
    client_for: ClientFor, registry: dict[str, Subject]
) -> None:
    response = client_for("ri_admin").get("/admin/registry/subject/?q=19850101")

    assert [s.full_name for s in response.context["cl"].result_list] == ["Siti Rahmawati"]


def test_a_regional_admin_sees_only_subjects_of_its_jurisdiction(
    offices: dict[str, Office], registry: dict[str, Subject]
) -> None:
    _user, client = _malang_admin(offices)

    response = client.get("/admin/registry/subject/")
    other = client.get(f"/admin/registry/subject/{registry['hartono'].pk}/change/")

    assert [s.full_name for s in response.context["cl"].result_list] == ["Siti Rahmawati"]
    assert other.status_code == 302  # Django's admin redirects a missing object to the list


def test_the_workplace_is_picked_by_autocomplete(
    client_for: ClientFor, registry: dict[str, Subject]
) -> None:
    response = client_for("ri_admin").get(
        "/admin/autocomplete/",
        {
            "app_label": "registry",
            "model_name": "subject",
            "field_name": "workplace",
            "term": "35.07.01",
        },
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == ["35.07.01", "35.07.01.2001"]


def test_editing_a_subject_in_the_admin_records_an_event(
    offices: dict[str, Office], registry: dict[str, Subject]
) -> None:
    user, client = _malang_admin(offices)
    siti = registry["siti"]

    response = client.post(
        f"/admin/registry/subject/{siti.pk}/change/",
        {
            "kind": "pns",
            "full_name": "Siti Rahmawati",
            "nip": siti.nip,
            "nrp": "",
            "position": "Kepala Sekolah",
            "agency": siti.agency_id,
            "workplace": "35.07.01.2001",
            "notes": "",
            "account_links-TOTAL_FORMS": "0",
            "account_links-INITIAL_FORMS": "0",
            "relations-TOTAL_FORMS": "0",
            "relations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.position == "Kepala Sekolah"
    event = events_for(siti).get()
    assert (event.kind, event.actor, event.params) == (
        "registry.subject_changed",
        user,
        {"source": "admin", "fields": ["position"]},
    )


def test_a_link_added_in_the_admin_is_proposed_through_the_service(
    offices: dict[str, Office], registry: dict[str, Subject]
) -> None:
    user, client = _malang_admin(offices)
    account = account_upsert(platform="tiktok", handle="siti.fiktif")

    response = client.post(
        "/admin/registry/accountlink/add/",
        {
            "subject": registry["siti"].pk,
            "account": account.pk,
            "confidence": "0.650",
            "proof": "Video di ruang kelas SD Negeri 1 Tulungrejo.",
        },
    )

    assert response.status_code == 302
    link = AccountLink.objects.get()
    assert (link.status, str(link.confidence)) == (LinkStatus.PROPOSED, "0.650")
    assert [(e.kind, e.actor) for e in events_for(link)] == [
        ("registry.account_link_proposed", user)
    ]


def test_links_are_confirmed_by_the_admin_action_and_a_second_owner_is_refused(
    offices: dict[str, Office], registry: dict[str, Subject], regions: dict[str, Region]
) -> None:
    user, client = _malang_admin(offices)
    account = account_upsert(platform="x", handle="guru_malang")
    first = account_link_propose(subject=registry["siti"], account=account, confidence=1, proof="")
    other = Subject.objects.create(kind="pppk", full_name="Dewi Lestari", workplace_id="35.07")
    second = account_link_propose(subject=other, account=account, confidence=0.5, proof="")

    confirmed = client.post(
        "/admin/registry/accountlink/",
        {"action": "confirm_links", "_selected_action": [first.pk]},
        follow=True,
    )
    refused = client.post(
        "/admin/registry/accountlink/",
        {"action": "confirm_links", "_selected_action": [second.pk]},
        follow=True,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == (LinkStatus.CONFIRMED, user)
    assert second.status == LinkStatus.PROPOSED
    assert [str(m) for m in confirmed.context["messages"]] == ["1 tautan diputuskan: Dikonfirmasi."]
    assert [str(m) for m in refused.context["messages"]] == [
        "Akun X (Twitter) @guru_malang sudah dikonfirmasi sebagai milik Siti Rahmawati; satu "
        "akun hanya boleh memiliki satu pemilik terkonfirmasi."
    ]
    assert Event.objects.filter(kind="registry.account_link_confirmed").count() == 1


def test_a_decided_link_is_read_only_and_cannot_be_deleted(
    client_for: ClientFor, registry: dict[str, Subject], personas: dict[str, User | None]
) -> None:
    account = account_upsert(platform="x", handle="siti_fiktif")
    link = account_link_propose(subject=registry["siti"], account=account, confidence=1, proof="")
    link.status = LinkStatus.REJECTED  # set up directly: the decision itself is tested above
    link.decided_at = link.created_at
    link.save()
    client = client_for("ri_admin")

    page = client.get(f"/admin/registry/accountlink/{link.pk}/change/")
    delete = client.get(f"/admin/registry/accountlink/{link.pk}/delete/")

    assert page.status_code == 200
    assert 'name="confidence"' not in page.content.decode()
    assert delete.status_code == 403


def test_the_candidate_page_lists_related_subjects(
    client_for: ClientFor, registry: dict[str, Subject]
) -> None:
    election = Election.objects.create(
        slug="pilkada-2024-kab-malang",
        name="Pilkada Kabupaten Malang 2024",
        regime="pilkada",
        type="regent",
        region_id="35.07",
        year=2024,
    )
    candidate = Candidate.objects.create(election=election, number=1, name="Bagus Santoso")
    CandidateRelation.objects.create(
        subject=registry["siti"], candidate=candidate, relation="adik kandung"
    )

    response = client_for("ri_admin").get(f"/admin/elections/candidate/{candidate.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "adik kandung" in html
    assert "Akun resmi calon" in html
