"""The subjects behind social-media accounts, as each persona may know them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from netra.geo.models import Region
from netra.registry.models import AccountLink, Agency, LinkStatus, Subject, SubjectKind
from netra.registry.selectors import (
    account_subjects_for_user,
    confirmed_account_links_within,
)
from netra.social.models import Account
from netra.staff.models import User

DECIDED = datetime(2024, 10, 5, tzinfo=UTC)


@pytest.fixture
def accounts(regions: dict[str, Region]) -> dict[str, Account]:
    """A confirmed village head of Donomulyo, a provincial teacher working in Pagak (agency
    seated at 35), a proposed link in Lumajang, a rejected one, and an account with two
    proposals."""
    province = Agency.objects.create(name="Dinas Pendidikan Provinsi Jawa Timur", region_id="35")
    village = Agency.objects.create(name="Pemerintah Desa Tulungrejo", region_id="35.07.01.2001")

    def subject(name: str, kind: str, workplace: str, agency: Agency | None) -> Subject:
        return Subject.objects.create(
            kind=kind, full_name=name, workplace_id=workplace, agency=agency, position="Guru"
        )

    def account(handle: str) -> Account:
        return Account.objects.create(platform="x", handle=handle)

    def link(s: Subject, a: Account, status: str, confidence: str = "0.900") -> None:
        AccountLink.objects.create(
            subject=s,
            account=a,
            status=status,
            confidence=Decimal(confidence),
            decided_at=None if status == LinkStatus.PROPOSED else DECIDED,
        )

    made = {
        name: account(name)
        for name in ("kades", "guru", "lumajang", "ditolak", "dua_usulan", "lepas")
    }
    head = subject("Sutrisno Fiktif", SubjectKind.VILLAGE_HEAD, "35.07.01.2001", village)
    teacher = subject("Wulan Fiktif", SubjectKind.PNS, "35.07.02", province)
    far = subject("Joko Fiktif", SubjectKind.PNS, "35.08.01", None)
    link(head, made["kades"], LinkStatus.CONFIRMED)
    link(teacher, made["guru"], LinkStatus.CONFIRMED)
    link(far, made["lumajang"], LinkStatus.PROPOSED)
    link(head, made["ditolak"], LinkStatus.REJECTED)
    link(teacher, made["dua_usulan"], LinkStatus.PROPOSED, "0.400")
    link(head, made["dua_usulan"], LinkStatus.PROPOSED, "0.800")
    return made


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "ri_admin",
            {
                "kades": ("Sutrisno Fiktif", "confirmed"),
                "guru": ("Wulan Fiktif", "confirmed"),
                "lumajang": ("Joko Fiktif", "proposed"),
                "dua_usulan": ("Sutrisno Fiktif", "proposed"),
            },
        ),
        (
            "malang_analyst",
            {
                "kades": ("Sutrisno Fiktif", "confirmed"),
                "guru": ("Wulan Fiktif", "confirmed"),
                "dua_usulan": ("Sutrisno Fiktif", "proposed"),
            },
        ),
        # The teacher works in Pagak: not Donomulyo's, though her agency covers it.
        (
            "donomulyo_supervisor",
            {
                "kades": ("Sutrisno Fiktif", "confirmed"),
                "dua_usulan": ("Sutrisno Fiktif", "proposed"),
            },
        ),
        ("lumajang_analyst", {"lumajang": ("Joko Fiktif", "proposed")}),
        ("bkpsdm_partner", {}),
        ("anonymous", {}),
    ],
)
def test_each_persona_learns_the_subjects_of_its_jurisdiction_only(
    personas: dict[str, User | None],
    accounts: dict[str, Account],
    persona: str,
    expected: dict[str, tuple[str, str]],
) -> None:
    names = {account.pk: name for name, account in accounts.items()}
    found = account_subjects_for_user(personas[persona] or AnonymousUser(), names)
    assert {names[pk]: (s.name, s.status) for pk, s in found.items()} == expected


def test_a_subject_is_named_with_kind_agency_and_place(
    personas: dict[str, User | None], accounts: dict[str, Account]
) -> None:
    found = account_subjects_for_user(
        personas["malang_analyst"] or AnonymousUser(), [accounts["guru"].pk]
    )
    subject = found[accounts["guru"].pk]
    assert (
        subject.kind_label,
        subject.position,
        subject.agency,
        subject.workplace,
        subject.confirmed,
    ) == ("PNS", "Guru", "Dinas Pendidikan Provinsi Jawa Timur", "35.07.02 Pagak", True)


def test_confirmed_links_within_a_region_follow_workplace_or_agency(
    accounts: dict[str, Account],
) -> None:
    def handles(region: str | None) -> set[str]:
        links = confirmed_account_links_within(region).select_related("account")
        return {link.account.handle for link in links}

    assert handles("35.07") == {"kades", "guru"}
    assert handles("35.07.01") == {"kades"}
    # The teacher's agency sits at 35: a provincial office sees her through it.
    assert handles("35") == {"kades", "guru"}
    assert handles("35.08") == set()
    assert handles(None) == {"kades", "guru"}
