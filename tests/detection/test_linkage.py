"""Linkage: proposals that a platform account belongs to a registered subject
(netra/detection/linkage.py, ``linkage_run``, ``netra detect link``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command, get_commands

from netra.cli import _resolve
from netra.core.models import Event
from netra.detection.linkage import (
    AccountRecord,
    Gazetteer,
    Linker,
    Place,
    SubjectRecord,
    name_tokens,
)
from netra.detection.services import linkage_run
from netra.detection.tasks import link_accounts
from netra.geo.models import Region
from netra.registry.models import AccountLink, Agency, LinkStatus, Subject
from netra.registry.services import account_link_decide
from netra.social.accounts import account_upsert
from netra.social.models import Account, AccountSnapshot, Item, Source
from netra.staff.models import User

# --- the linker on plain records ---------------------------------------------------------

JATIM = Place("35", "Jawa Timur", "province")
MALANG = Place("35.07", "Kabupaten Malang", "regency")
DONOMULYO = Place("35.07.01", "Donomulyo", "district")
TULUNGREJO = Place("35.07.01.2001", "Tulungrejo", "village")
LUMAJANG = Place("35.08", "Kabupaten Lumajang", "regency")
TEMPURSARI = Place("35.08.01", "Tempursari", "district")
GAZETTEER = Gazetteer.of(
    [
        ("35", "Jawa Timur"),
        ("35.07", "Kabupaten Malang"),
        ("35.08", "Kabupaten Lumajang"),
        ("35.73", "Kota Malang"),
        ("35.79", "Kota Batu"),
    ]
)
SUTRISNO = SubjectRecord(
    id=1,
    kind="pns",
    full_name="Drs. Sutrisno Wibowo, M.Pd.",
    nip="197003121995031002",
    position="Guru Bahasa Indonesia",
    agency="SMP Negeri 1 Donomulyo",
    places=(DONOMULYO, MALANG, JATIM),
)
SITI = SubjectRecord(
    id=2,
    kind="pns",
    full_name="Siti Rahmawati",
    nip="198501012010012001",
    position="Guru",
    agency="Dinas Pendidikan Kabupaten Malang",
    places=(TULUNGREJO, DONOMULYO, MALANG, JATIM),
)
SITI_LUMAJANG = SubjectRecord(
    id=3,
    kind="pns",
    full_name="Siti Rahmawati",
    nip="198601012010012001",
    position="Guru",
    agency="Dinas Pendidikan Kabupaten Lumajang",
    places=(TEMPURSARI, LUMAJANG, JATIM),
)
BUDI = SubjectRecord(
    id=4,
    kind="village_head",
    full_name="Budi Santoso",
    places=(Place("35.07.02.2001", "Sumbermanjing Kulon", "village"), MALANG, JATIM),
)
SUBJECTS = (SUTRISNO, SITI, SITI_LUMAJANG, BUDI)


def _linker() -> Linker:
    return Linker(SUBJECTS, gazetteer=GAZETTEER)


def _reasons(
    linker: Linker, account: AccountRecord, subject: SubjectRecord
) -> list[tuple[str, str, float]]:
    proposal = linker.score(account, subject.id)
    assert proposal is not None
    return [(r.kind, r.evidence, r.weight) for r in proposal.reasons]


def test_titles_degrees_and_honorifics_are_no_part_of_a_name() -> None:
    assert name_tokens("Drs. Sutrisno Wibowo, M.Pd.") == ("sutrisno", "wibowo")
    assert name_tokens("Bu Hj. Siti Rahmawati, S.Pd.I") == ("siti", "rahmawati")
    assert name_tokens("Pak Kades Budi 🇮🇩") == ("kades", "budi")


def test_a_handle_written_short_with_position_and_agency_finds_the_teacher() -> None:
    account = AccountRecord(
        10, handle="sutrisno_wbw", display_name="Pak Tris", bio="Guru SMPN 1 Donomulyo."
    )

    proposals = _linker().propose(account)

    assert [(p.subject_id, p.score) for p in proposals] == [(1, 0.771)]
    assert [(r.kind, r.text, r.evidence, r.weight, r.field) for r in proposals[0].reasons] == [
        ("handle", "Nama akun mirip nama subjek (88%).", "@sutrisno_wbw", 0.28, "handle"),
        ("position", "Profil menyebut jabatan subjek (guru).", "Guru", 0.3, "bio"),
        (
            "agency",
            "Profil menyebut instansi subjek (SMP Negeri 1 Donomulyo).",
            "SMPN 1 Donomulyo",
            0.35,
            "bio",
        ),
        ("region", "Profil menyebut wilayah subjek (Donomulyo).", "Donomulyo", 0.3, "bio"),
    ]


def test_the_subjects_nip_in_the_bio_is_very_strong_even_written_in_groups() -> None:
    account = AccountRecord(
        11, handle="sr_2010", display_name="Siti R.", bio="NIP 19850101 201001 2 001"
    )
    linker = _linker()

    assert [(p.subject_id, p.score) for p in linker.propose(account)] == [(2, 0.963)]
    assert _reasons(linker, account, SITI) == [
        ("display_name", "Siti R.", 0.119),
        ("nip", "19850101 201001 2 001", 0.95),
        ("kind", "NIP", 0.15),
    ]
    # The namesake whose NIP it is not: the number speaks against her.
    assert _reasons(linker, account, SITI_LUMAJANG) == [
        ("display_name", "Siti R.", 0.119),
        ("kind", "NIP", 0.15),
        ("nip_conflict", "19850101 201001 2 001", -0.7),
    ]
    assert linker.score(account, SITI_LUMAJANG.id).score == 0.075  # type: ignore[union-attr]


def test_a_village_head_is_found_by_position_and_village() -> None:
    account = AccountRecord(
        12, handle="kades_sbk", display_name="Budi Santoso", bio="Kades Sumbermanjing Kulon 🌾"
    )

    proposals = _linker().propose(account)

    assert [(p.subject_id, p.score) for p in proposals] == [(4, 0.731)]
    assert [(r.kind, r.evidence) for r in proposals[0].reasons] == [
        ("display_name", "Budi Santoso"),
        ("position", "Kades"),
        ("region", "Sumbermanjing Kulon"),
    ]


def test_an_agency_abbreviation_counts() -> None:
    account = AccountRecord(
        13, handle="siti_rahmawati", display_name="Siti Rahmawati", bio="Staf Disdik"
    )

    # Siti has a namesake in the registry: her name weighs 0.45 / sqrt(2).
    assert _reasons(_linker(), account, SITI) == [
        ("display_name", "Siti Rahmawati", 0.318),
        ("agency_abbreviation", "Disdik", 0.25),
    ]


def test_a_homonym_elsewhere_scores_low_and_is_not_proposed() -> None:
    account = AccountRecord(
        14,
        handle="siti.rahma85",
        display_name="Bu Siti Rahmawati, S.Pd.",
        bio="ASN | Guru SD di Tulungrejo, Kab. Malang",
    )
    linker = _linker()

    proposals = linker.propose(account)

    assert [(p.subject_id, p.score) for p in proposals] == [(2, 0.716)]
    assert proposals[0].reasons[0].text == (
        "Nama tampilan mirip nama subjek (100%), dengan 2 subjek terdaftar bernama sama."
    )
    namesake = linker.score(account, SITI_LUMAJANG.id)
    assert namesake is not None
    assert namesake.score == 0.238
    assert namesake.reasons[-1].kind == "region_conflict"
    assert namesake.reasons[-1].text == (
        "Profil menyebut wilayah lain, bukan wilayah subjek (Kab. Malang)."
    )


def test_a_name_alone_is_never_proposed() -> None:
    account = AccountRecord(15, handle="sutrisnowibowo", display_name="Sutrisno Wibowo")
    linker = _linker()

    assert linker.propose(account) == []
    assert linker.score(account, SUTRISNO.id).score == 0.45  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("bio", "region"),
    [
        ("Guru. Nasib malang", None),
        ("Guru. Malang nian nasibku", None),
        ("Guru | Malang", "Malang"),
        ("guru di malang", "di malang"),
    ],
)
def test_a_place_named_by_an_everyday_word_counts_only_as_a_name(
    bio: str, region: str | None
) -> None:
    # "malang" is also an everyday word (unlucky): lower case and unmarked it is no place.
    hendra = SubjectRecord(5, "pns", "Hendra Kusuma", position="Guru", places=(MALANG, JATIM))
    linker = Linker([hendra], gazetteer=GAZETTEER)

    proposal = linker.score(AccountRecord(16, display_name="Hendra Kusuma", bio=bio), 5)

    assert proposal is not None
    found = [r.evidence for r in proposal.reasons if r.kind == "region"]
    assert found == ([region] if region else [])
    assert "region_conflict" not in [r.kind for r in proposal.reasons]


def test_candidates_are_blocked_not_compared_with_everyone() -> None:
    crowd = [
        SubjectRecord(100 + i, "pns", f"Warga{chr(97 + i % 26)}{i} Fiktif{i}") for i in range(3000)
    ]
    linker = Linker([*crowd, SUTRISNO], gazetteer=GAZETTEER)

    proposals = linker.propose(
        AccountRecord(18, handle="sutrisno_wbw", bio="Guru SMPN 1 Donomulyo")
    )

    assert [p.subject_id for p in proposals] == [1]
    assert linker.scored == 1


# --- runs over the database ------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    sutrisno: Subject
    siti: Subject
    siti_lumajang: Subject
    budi: Subject
    sutrisno_x: Account
    siti_ig: Account
    siti_ig_seen: AccountSnapshot
    budi_tiktok: Account
    name_only: Account


@pytest.fixture
def world(regions: dict[str, Region]) -> World:
    smp = Agency.objects.create(name="SMP Negeri 1 Donomulyo", region_id="35.07.01")
    disdik = Agency.objects.create(name="Dinas Pendidikan Kabupaten Malang", region_id="35.07")
    lumajang = Agency.objects.create(name="Dinas Pendidikan Kabupaten Lumajang", region_id="35.08")
    siti_ig = account_upsert(
        platform="instagram",
        platform_id="1784001",
        handle="siti.rahma85",
        display_name="Bu Siti Rahmawati, S.Pd.",
        bio="ASN | Guru SD di Tulungrejo, Kab. Malang",
    )
    source = Source.objects.create(kind="file", name="ekspor.jsonl", format="ig", sha256="a" * 64)
    seen = AccountSnapshot.objects.create(
        account=siti_ig, source=source, bio=siti_ig.bio, handle=siti_ig.handle, digest="d1"
    )
    return World(
        sutrisno=Subject.objects.create(
            kind="pns",
            full_name="Drs. Sutrisno Wibowo, M.Pd.",
            nip="197003121995031002",
            position="Guru Bahasa Indonesia",
            agency=smp,
            workplace_id="35.07.01",
        ),
        siti=Subject.objects.create(
            kind="pns",
            full_name="Siti Rahmawati",
            nip="198501012010012001",
            position="Guru",
            agency=disdik,
            workplace_id="35.07.01.2001",
        ),
        siti_lumajang=Subject.objects.create(
            kind="pns",
            full_name="Siti Rahmawati",
            nip="198601012010012001",
            position="Guru",
            agency=lumajang,
            workplace_id="35.08.01",
        ),
        budi=Subject.objects.create(
            kind="village_head", full_name="Budi Santoso", workplace_id="35.07.02.2001"
        ),
        sutrisno_x=account_upsert(
            platform="x",
            handle="sutrisno_wbw",
            display_name="Pak Tris",
            bio="Guru SMPN 1 Donomulyo.",
        ),
        siti_ig=siti_ig,
        siti_ig_seen=seen,
        budi_tiktok=account_upsert(
            platform="tiktok",
            handle="kades_sbk",
            display_name="Budi Santoso",
            bio="Kades Sumbermanjing Kulon",
        ),
        name_only=account_upsert(
            platform="x", handle="sutrisnowibowo", display_name="Sutrisno Wibowo"
        ),
    )


def _links() -> list[tuple[str, str, str, str]]:
    return [
        (link.subject.full_name, link.account.handle, link.status, str(link.confidence))
        for link in AccountLink.objects.select_related("subject", "account").order_by("pk")
    ]


def _registry_events() -> list[str]:
    return list(
        Event.objects.filter(kind__startswith="registry.account_link")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_a_run_proposes_links_with_reasons_proof_and_events(world: World) -> None:
    summary = linkage_run()

    assert (summary.subjects, summary.accounts, summary.proposals, summary.created) == (4, 4, 3, 3)
    assert sorted(_links()) == [
        ("Budi Santoso", "kades_sbk", "proposed", "0.731"),
        ("Drs. Sutrisno Wibowo, M.Pd.", "sutrisno_wbw", "proposed", "0.771"),
        ("Siti Rahmawati", "siti.rahma85", "proposed", "0.716"),
    ]
    siti = AccountLink.objects.get(account=world.siti_ig)
    assert siti.subject == world.siti  # not her namesake in Lumajang
    assert siti.proof_snapshot == world.siti_ig_seen
    assert [r.kind for r in siti.reason_list] == [
        "display_name",
        "position",
        "region",
        "kind",
    ]
    assert siti.proof == (
        "Usulan pencocokan otomatis: Nama tampilan mirip nama subjek (100%), dengan 2 subjek "
        "terdaftar bernama sama; Profil menyebut "
        "status yang sesuai dengan jenis subjek (ASN); Profil menyebut jabatan subjek (guru); "
        "Profil menyebut wilayah subjek (Tulungrejo)."
    )
    # No snapshot was stored for the other accounts: their proof is the text and reasons.
    assert AccountLink.objects.filter(proof_snapshot__isnull=True).count() == 2
    assert _registry_events() == ["registry.account_link_proposed"] * 3
    run = Event.objects.get(kind="detection.linkage_run")
    assert (run.actor, run.params["created"], run.params["region"]) == (None, 3, None)


def test_a_rerun_is_idempotent_and_updates_what_changed(world: World) -> None:
    linkage_run()
    before = _links()

    again = linkage_run()

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _links() == before
    assert _registry_events() == ["registry.account_link_proposed"] * 3

    Account.objects.filter(pk=world.sutrisno_x.pk).update(
        bio="Guru SMPN 1 Donomulyo. NIP 19700312 199503 1 002"
    )
    changed = linkage_run()

    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    link = AccountLink.objects.get(account=world.sutrisno_x)
    assert link.confidence == Decimal("0.990")
    assert [r.kind for r in link.reason_list] == [
        "nip",
        "agency",
        "position",
        "region",
        "handle",
        "kind",
    ]
    assert _registry_events()[-1] == "registry.account_link_proposal_updated"


def test_a_rejected_or_confirmed_link_is_never_proposed_again(
    world: World, personas: dict[str, User | None]
) -> None:
    analyst = personas["malang_analyst"]
    assert isinstance(analyst, User)
    linkage_run()
    rejected = AccountLink.objects.get(account=world.budi_tiktok)
    account_link_decide(link=rejected, status=LinkStatus.REJECTED, actor=analyst)
    confirmed = AccountLink.objects.get(account=world.siti_ig)
    account_link_decide(link=confirmed, status=LinkStatus.CONFIRMED, actor=analyst)
    events = _registry_events()

    summary = linkage_run()

    assert (summary.skipped_decided, summary.created, summary.updated) == (2, 0, 0)
    assert AccountLink.objects.get(pk=rejected.pk).status == LinkStatus.REJECTED
    assert _registry_events() == events


def test_an_account_with_a_confirmed_owner_gets_no_second_proposal(
    world: World, personas: dict[str, User | None]
) -> None:
    analyst = personas["malang_analyst"]
    assert isinstance(analyst, User)
    # Confirmed by hand for Budi: the run must not propose Siti for the same account.
    owner = AccountLink.objects.create(
        subject=world.budi, account=world.siti_ig, confidence=Decimal("0.9")
    )
    account_link_decide(link=owner, status=LinkStatus.CONFIRMED, actor=analyst)

    summary = linkage_run()

    assert summary.skipped_owned == 1
    assert not AccountLink.objects.filter(subject=world.siti).exists()


def test_a_confirmed_link_keeps_its_proof(world: World, personas: dict[str, User | None]) -> None:
    analyst = personas["malang_analyst"]
    assert isinstance(analyst, User)
    linkage_run()
    link = AccountLink.objects.get(account=world.siti_ig)
    reasons = link.reasons

    account_link_decide(link=link, status=LinkStatus.CONFIRMED, actor=analyst)

    link.refresh_from_db()
    assert (link.status, link.proof_snapshot, link.reasons) == (
        LinkStatus.CONFIRMED,
        world.siti_ig_seen,
        reasons,
    )
    event = Event.objects.get(kind="registry.account_link_confirmed")
    assert event.params == {
        "account": world.siti_ig.pk,
        "subject": world.siti.pk,
        "proof_snapshot": world.siti_ig_seen.pk,
        "proof_item": None,
    }


def test_a_dry_run_counts_and_writes_nothing(world: World) -> None:
    summary = linkage_run(dry_run=True)

    assert (summary.proposals, summary.created, summary.dry_run) == (3, 3, True)
    assert AccountLink.objects.count() == 0
    assert Event.objects.filter(kind__startswith="registry.").count() == 0
    assert not Event.objects.filter(kind="detection.linkage_run").exists()


def test_a_run_limited_to_a_region_reads_only_its_subjects(world: World) -> None:
    account_upsert(
        platform="x", handle="rahmawati_lmj", display_name="Siti Rahmawati", bio="Guru di Lumajang"
    )

    summary = linkage_run(region="35.08")

    assert (summary.subjects, summary.created) == (1, 1)
    assert _links() == [("Siti Rahmawati", "rahmawati_lmj", "proposed", "0.642")]
    assert AccountLink.objects.get().subject == world.siti_lumajang


@pytest.mark.parametrize(
    ("persona", "region", "allowed"),
    [
        ("ri_admin", None, True),
        ("malang_analyst", "35.07", True),
        ("malang_analyst", None, False),
        ("lumajang_analyst", "35.07", False),
        ("donomulyo_supervisor", "35.07.01", False),
        ("bkpsdm_partner", "35.07", False),
    ],
)
def test_only_data_handlers_covering_the_region_may_run_it(
    world: World, personas: dict[str, User | None], persona: str, region: str | None, allowed: bool
) -> None:
    actor = personas[persona]
    assert isinstance(actor, User)
    if not allowed:
        with pytest.raises(PermissionDenied):
            linkage_run(region=region, actor=actor)
        assert AccountLink.objects.count() == 0
        assert Event.objects.filter(kind="detection.linkage_run").count() == 0
        return
    linkage_run(region=region, actor=actor)
    assert Event.objects.get(kind="detection.linkage_run").actor == actor
    assert set(
        Event.objects.filter(kind="registry.account_link_proposed").values_list("actor", flat=True)
    ) == {actor.pk}


def test_the_command_prints_the_counts_in_indonesian(world: World) -> None:
    out = StringIO()

    call_command("detect_link", "--region", "35.07", stdout=out)

    assert out.getvalue().splitlines() == [
        "Wilayah 35.07: 3 subjek, 4 akun, 4 pasangan dinilai. 3 usulan dengan skor minimal 0.55.",
        "Tautan: 3 baru, 0 diperbarui, 0 tetap; dilewati: 0 sudah diputuskan, 0 akun sudah "
        "punya pemilik terkonfirmasi.",
    ]

    dry = StringIO()
    call_command("detect_link", "--dry-run", stdout=dry)
    assert dry.getvalue().splitlines()[1] == (
        "Uji coba, tidak ada yang ditulis: 0 akan dibuat, 0 akan diperbarui, 3 tetap; "
        "dilewati: 0 sudah diputuskan, 0 akun sudah punya pemilik terkonfirmasi."
    )


def test_the_command_refuses_an_unknown_region(world: World) -> None:
    with pytest.raises(CommandError, match=r"^Kode wilayah 35\.99 tidak ada dalam data wilayah\.$"):
        call_command("detect_link", "--region", "35.99")
    assert AccountLink.objects.count() == 0


def test_the_netra_console_knows_it_as_detect_link() -> None:
    assert _resolve(["detect", "link", "--dry-run"], set(get_commands())) == [
        "detect_link",
        "--dry-run",
    ]


def test_the_task_runs_as_the_system(world: World) -> None:
    result = link_accounts("35.07.01")

    assert result is not None
    assert (result["region"], result["subjects"], result["created"]) == ("35.07.01", 2, 2)
    assert Event.objects.get(kind="detection.linkage_run").actor is None


def test_an_item_given_at_confirmation_becomes_the_proof(
    world: World, personas: dict[str, User | None]
) -> None:
    analyst = personas["malang_analyst"]
    assert isinstance(analyst, User)
    linkage_run()
    link = AccountLink.objects.get(account=world.sutrisno_x)
    post = Item.objects.create(
        platform="x",
        platform_id="1900000000000000001",
        kind="post",
        author=world.sutrisno_x,
        text="Hari ini mengajar kelas VIII di SMPN 1 Donomulyo.",
        raw_sha256="b" * 64,
    )

    account_link_decide(
        link=link,
        status=LinkStatus.CONFIRMED,
        actor=analyst,
        proof="Unggahan dari ruang kelas SMPN 1 Donomulyo.",
        proof_item=post,
    )

    link.refresh_from_db()
    assert (link.proof, link.proof_item, link.proof_snapshot) == (
        "Unggahan dari ruang kelas SMPN 1 Donomulyo.",
        post,
        None,
    )
