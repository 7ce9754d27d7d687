"""The links that tie platform accounts to subjects (accounts: tests/social/test_accounts.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from netra.core.events import events_for
from netra.geo.models import Region
from netra.registry.models import AccountLink, LinkStatus, Subject
from netra.registry.services import (
    AccountLinkError,
    account_link_decide,
    account_link_propose,
)
from netra.social.accounts import account_upsert
from netra.social.models import Account
from netra.staff.models import Office, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def subjects(regions: dict[str, Region]) -> dict[str, Subject]:
    return {
        "siti": Subject.objects.create(
            kind="pns",
            full_name="Siti Rahmawati",
            nip="198501012010012001",
            workplace=regions["35.07.01.2001"],
        ),
        "siti_lain": Subject.objects.create(
            kind="pns",
            full_name="Siti Rahmawati",
            nip="198601012010012001",
            workplace=regions["35.08.01"],
        ),
    }


@pytest.fixture
def analyst(offices: dict[str, Office]) -> User:
    # No password: these tests never log in, and hashing one costs a second per test.
    return User.objects.create(
        username="analis_malang", office=offices["malang"], role=Role.ANALYST
    )


def _account() -> Account:
    return account_upsert(platform="instagram", platform_id="1784", handle="siti.rahma_fiktif")


# --- account links ----------------------------------------------------------------------------


def test_a_proposal_is_recorded_with_its_confidence_and_proof(
    subjects: dict[str, Subject], analyst: User
) -> None:
    account = _account()

    link = account_link_propose(
        subject=subjects["siti"],
        account=account,
        confidence=0.8,
        proof="Foto profil sama dengan foto di situs sekolah.",
        actor=analyst,
    )

    assert (link.status, link.confidence, link.decided_by, link.decided_at) == (
        LinkStatus.PROPOSED,
        Decimal("0.800"),
        None,
        None,
    )
    event = events_for(link).get()
    assert (event.kind, event.actor, event.params["confidence"]) == (
        "registry.account_link_proposed",
        analyst,
        "0.800",
    )


def test_proposing_again_updates_an_open_proposal(
    subjects: dict[str, Subject], analyst: User
) -> None:
    account = _account()
    link = account_link_propose(
        subject=subjects["siti"], account=account, confidence="0.5", proof="nama sama", actor=None
    )

    same = account_link_propose(
        subject=subjects["siti"], account=account, confidence="0.5", proof="nama sama"
    )
    again = account_link_propose(
        subject=subjects["siti"], account=account, confidence="0.9", proof="nama dan foto sama"
    )

    assert same.pk == again.pk == link.pk
    assert (again.confidence, again.proof) == (Decimal("0.900"), "nama dan foto sama")
    assert [e.kind for e in events_for(link).order_by("id")] == [
        "registry.account_link_proposed",
        "registry.account_link_proposal_updated",
    ]


@pytest.mark.parametrize("confidence", [1.5, -0.1, "tinggi"])
def test_a_confidence_outside_zero_to_one_is_refused(
    subjects: dict[str, Subject], confidence: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        account_link_propose(
            subject=subjects["siti"],
            account=_account(),
            confidence=confidence,  # type: ignore[arg-type]
            proof="",
        )

    assert caught.value.message_dict == {
        "confidence": [f"Keyakinan harus angka antara 0 dan 1, bukan {confidence}."]
    }
    assert AccountLink.objects.count() == 0


@pytest.mark.parametrize("decision", [LinkStatus.CONFIRMED, LinkStatus.REJECTED])
def test_a_proposed_link_is_decided_once_with_who_and_when(
    subjects: dict[str, Subject], analyst: User, decision: LinkStatus
) -> None:
    link = account_link_propose(
        subject=subjects["siti"], account=_account(), confidence=0.8, proof="foto"
    )

    decided = account_link_decide(link=link, status=decision, actor=analyst)

    assert (decided.status, decided.decided_by) == (decision, analyst)
    assert decided.decided_at is not None
    assert [(e.kind, e.actor) for e in events_for(link).order_by("id")] == [
        ("registry.account_link_proposed", None),
        (f"registry.account_link_{decision}", analyst),
    ]


def test_a_decided_link_cannot_be_decided_again(
    subjects: dict[str, Subject], analyst: User
) -> None:
    link = account_link_propose(
        subject=subjects["siti"], account=_account(), confidence=0.8, proof="foto"
    )
    account_link_decide(link=link, status=LinkStatus.REJECTED, actor=analyst)

    with pytest.raises(AccountLinkError) as caught:
        account_link_decide(link=link, status=LinkStatus.CONFIRMED, actor=analyst)

    assert str(caught.value) == (
        "Tautan Siti Rahmawati ↔ Instagram @siti.rahma_fiktif (Ditolak) sudah diputuskan "
        "(Ditolak); keputusan tidak dapat diubah."
    )
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED
    assert events_for(link).count() == 2


def test_a_proposal_never_reopens_a_decision(subjects: dict[str, Subject], analyst: User) -> None:
    account = _account()
    link = account_link_propose(subject=subjects["siti"], account=account, confidence=0.8, proof="")
    account_link_decide(link=link, status=LinkStatus.REJECTED, actor=analyst)

    again = account_link_propose(
        subject=subjects["siti"], account=account, confidence=0.99, proof="baru"
    )

    assert (again.status, again.confidence) == (LinkStatus.REJECTED, Decimal("0.800"))


def test_an_account_cannot_be_confirmed_for_a_second_owner(
    subjects: dict[str, Subject], analyst: User
) -> None:
    account = _account()
    first = account_link_propose(
        subject=subjects["siti"], account=account, confidence=0.9, proof=""
    )
    second = account_link_propose(
        subject=subjects["siti_lain"], account=account, confidence=0.7, proof=""
    )
    account_link_decide(link=first, status=LinkStatus.CONFIRMED, actor=analyst)

    with pytest.raises(AccountLinkError) as caught:
        account_link_decide(link=second, status=LinkStatus.CONFIRMED, actor=analyst)

    assert str(caught.value) == (
        "Akun Instagram @siti.rahma_fiktif sudah dikonfirmasi sebagai milik Siti Rahmawati; "
        "satu akun hanya boleh memiliki satu pemilik terkonfirmasi."
    )
    second.refresh_from_db()
    assert (second.status, second.decided_at) == (LinkStatus.PROPOSED, None)
    # Rejecting the second claim is still possible.
    assert account_link_decide(link=second, status=LinkStatus.REJECTED, actor=analyst).status == (
        LinkStatus.REJECTED
    )


def test_a_refused_confirmation_names_an_owner_only_within_the_deciders_jurisdiction(
    subjects: dict[str, Subject], analyst: User
) -> None:
    """The confirmed owner works in Kab. Lumajang: a Kab. Malang analyst learns that the
    account has an owner, not who it is."""
    account = _account()
    theirs = account_link_propose(
        subject=subjects["siti_lain"], account=account, confidence=0.9, proof=""
    )
    ours = account_link_propose(subject=subjects["siti"], account=account, confidence=0.9, proof="")
    account_link_decide(link=theirs, status=LinkStatus.CONFIRMED, actor=analyst)

    with pytest.raises(AccountLinkError) as caught:
        account_link_decide(link=ours, status=LinkStatus.CONFIRMED, actor=analyst)

    assert str(caught.value) == (
        "Akun Instagram @siti.rahma_fiktif sudah dikonfirmasi sebagai milik subjek lain; "
        "satu akun hanya boleh memiliki satu pemilik terkonfirmasi."
    )
