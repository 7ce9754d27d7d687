"""The links that tie platform accounts to subjects (accounts: tests/social/test_accounts.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from netra.core.events import events_for
from netra.geo.models import Region
from netra.registry.models import AccountLink, LinkReason, LinkStatus, Subject
from netra.registry.services import (
    AccountLinkError,
    account_link_decide,
    account_link_propose,
)
from netra.social.accounts import account_upsert
from netra.social.models import Account, AccountSnapshot, Item, Source
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


# --- reasons and proof ---------------------------------------------------------------------

REASONS = (
    LinkReason(
        "display_name", "Nama tampilan mirip nama subjek (100%).", "Siti R.", 0.45, "display_name"
    ),
    LinkReason("position", "Profil menyebut jabatan subjek (guru).", "Guru", 0.3, "bio"),
)


def _snapshot(account: Account, bio: str = "Guru SD") -> AccountSnapshot:
    source = Source.objects.get_or_create(
        kind="file", name="ekspor.jsonl", format="ig", sha256="a" * 64
    )[0]
    return AccountSnapshot.objects.create(account=account, source=source, bio=bio, digest=bio[:32])


def _post(account: Account) -> Item:
    return Item.objects.create(
        platform=account.platform,
        platform_id="3300001",
        kind="post",
        author=account,
        text="Upacara di SD Negeri 1 Tulungrejo.",
        raw_sha256="c" * 64,
    )


def test_a_proposal_stores_its_reasons_and_the_snapshot_that_showed_them(
    subjects: dict[str, Subject],
) -> None:
    account = _account()
    seen = _snapshot(account)

    link = account_link_propose(
        subject=subjects["siti"],
        account=account,
        confidence=0.7,
        proof="Usulan pencocokan otomatis.",
        reasons=REASONS,
        proof_snapshot=seen,
    )

    link.refresh_from_db()
    assert link.proof_snapshot == seen
    assert link.reasons == [
        {
            "kind": "display_name",
            "text": "Nama tampilan mirip nama subjek (100%).",
            "evidence": "Siti R.",
            "weight": 0.45,
            "field": "display_name",
        },
        {
            "kind": "position",
            "text": "Profil menyebut jabatan subjek (guru).",
            "evidence": "Guru",
            "weight": 0.3,
            "field": "bio",
        },
    ]
    assert link.reason_list == list(REASONS)
    assert events_for(link).get().params == {
        "confidence": "0.700",
        "account": account.pk,
        "subject": subjects["siti"].pk,
        "reasons": ["display_name", "position"],
    }


def test_new_reasons_update_an_open_proposal_and_the_same_ones_change_nothing(
    subjects: dict[str, Subject],
) -> None:
    account = _account()
    link = account_link_propose(
        subject=subjects["siti"], account=account, confidence=0.7, proof="", reasons=REASONS
    )
    account_link_propose(
        subject=subjects["siti"], account=account, confidence=0.7, proof="", reasons=REASONS
    )
    account_link_propose(
        subject=subjects["siti"], account=account, confidence=0.7, proof="", reasons=REASONS[:1]
    )

    link.refresh_from_db()
    assert [r.kind for r in link.reason_list] == ["display_name"]
    assert [e.kind for e in events_for(link).order_by("id")] == [
        "registry.account_link_proposed",
        "registry.account_link_proposal_updated",
    ]


def test_a_proof_of_another_account_is_refused(subjects: dict[str, Subject]) -> None:
    account = _account()
    other = account_upsert(platform="x", handle="orang_lain_fiktif")

    with pytest.raises(ValidationError) as caught:
        account_link_propose(
            subject=subjects["siti"],
            account=account,
            confidence=0.7,
            proof="",
            proof_snapshot=_snapshot(other),
        )
    assert caught.value.message_dict == {
        "proof_snapshot": ["Profil bukti harus profil akun yang ditautkan."]
    }
    with pytest.raises(ValidationError) as caught:
        account_link_propose(
            subject=subjects["siti"],
            account=account,
            confidence=0.7,
            proof="",
            proof_item=_post(other),
        )
    assert caught.value.message_dict == {
        "proof_item": ["Konten bukti harus unggahan akun yang ditautkan."]
    }
    assert AccountLink.objects.count() == 0


def test_a_confirmation_keeps_the_proposed_proof(
    subjects: dict[str, Subject], analyst: User
) -> None:
    account = _account()
    seen = _snapshot(account)
    link = account_link_propose(
        subject=subjects["siti"],
        account=account,
        confidence=0.7,
        proof="nama dan jabatan",
        reasons=REASONS,
        proof_snapshot=seen,
    )

    account_link_decide(link=link, status=LinkStatus.CONFIRMED, actor=analyst)

    link.refresh_from_db()
    assert (link.status, link.proof, link.proof_snapshot, link.reason_list) == (
        LinkStatus.CONFIRMED,
        "nama dan jabatan",
        seen,
        list(REASONS),
    )
    confirmed = events_for(link).get(kind="registry.account_link_confirmed")
    assert confirmed.params == {
        "account": account.pk,
        "subject": subjects["siti"].pk,
        "proof_snapshot": seen.pk,
        "proof_item": None,
    }


def test_proof_is_given_with_a_confirmation_only(
    subjects: dict[str, Subject], analyst: User
) -> None:
    account = _account()
    link = account_link_propose(subject=subjects["siti"], account=account, confidence=0.7, proof="")

    with pytest.raises(ValueError, match="proof is given with a confirmation"):
        account_link_decide(link=link, status=LinkStatus.REJECTED, actor=analyst, proof="foto")

    post = _post(account)
    account_link_decide(
        link=link, status=LinkStatus.CONFIRMED, actor=analyst, proof="unggahan", proof_item=post
    )
    link.refresh_from_db()
    assert (link.status, link.proof, link.proof_item) == (LinkStatus.CONFIRMED, "unggahan", post)
