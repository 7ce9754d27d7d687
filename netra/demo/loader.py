"""The demo scenario: fictional people in real places, loaded idempotently.

Pilkada 2024 in Kabupaten Malang: its real districts and villages, the real stage dates,
three fictional candidate pairs, agencies with over 500 fictional subjects (some with
social-media accounts), a Bawaslu office at every level and a demo user for each role.
Every part goes through the same services and importers that offices use, so the demo
shows what Netra does; loading twice changes nothing.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.platforms import Platform
from netra.demo.activity import DemoAccount, activity_load
from netra.demo.people import Person, roster
from netra.detection.models import ActKind, ContentVerdict, Flag, FlagKind
from netra.detection.run import DetectionSummary, detection_run
from netra.detection.services import LinkageSummary, linkage_run
from netra.detection.verdict import ContentClass
from netra.elections.models import Candidate, Election
from netra.elections.services import elections_import
from netra.geo.models import Level, Region
from netra.geo.services import regions_import
from netra.law.services import law_load
from netra.registry.models import AccountLink, Agency, CandidateRelation, LinkStatus, Subject
from netra.registry.services import (
    account_link_decide,
    account_link_propose,
    roster_import,
)
from netra.social.accounts import account_upsert
from netra.social.ingest import FileSummary
from netra.social.models import Account, Interaction, Item, QuarantinedRecord
from netra.staff.models import Office, OfficeLevel, Role, User
from netra.staff.rules import ANALYST_OR_ABOVE
from netra.staff.services import office_create, staff_user_create

DATA = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA / "regions-kab-malang.csv"
ELECTION_FILE = DATA / "pilkada-2024-kab-malang.yaml"
ELECTION_SLUG = "pilkada-2024-kab-malang"

DEMO_PASSWORD = "netra-demo-2024"  # noqa: S105 — printed on screen for the local demo only
REGENCY = "35.07"
OTHER_REGENCY = "35.08"
VILLAGE_OFFICE_COUNT = 5
ROSTER_VILLAGES = 40
# Every n-th subject of the roster has a social-media account in the demo.
ACCOUNT_EVERY = 7


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    office: str
    two_factor: bool


@dataclass
class DemoSummary:
    logins: list[DemoLogin] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    activity: list[FileSummary] = field(default_factory=list)
    linkage: LinkageSummary | None = None
    detection: DetectionSummary | None = None
    # What detection found, by kind (for the command's output): act kinds and coordination.
    flags: dict[str, int] = field(default_factory=dict)


# (username, full name, role, office key, extra)
DEMO_USERS: list[tuple[str, str, Role, str]] = [
    ("demo_admin", "Admin Demo Bawaslu RI", Role.ADMIN, "ri"),
    ("demo_komisioner", "Laras Setyaningrum", Role.COMMISSIONER, "regency"),
    ("demo_analis", "Bima Adinegoro", Role.ANALYST, "regency"),
    ("demo_pengawas", "Siti Marfuah", Role.FIELD_SUPERVISOR, "district"),
    ("demo_kustodian", "Yohanes Pamungkas", Role.IDENTITY_CUSTODIAN, "regency"),
    ("demo_mitra", "Ratih Kinanti", Role.PARTNER, "regency"),
    ("demo_analis_lumajang", "Dimas Arjuna", Role.ANALYST, "other_regency"),
]


def _office(name: str, level: OfficeLevel, region: Region | None) -> Office:
    existing = Office.objects.filter(level=level, region=region).first()
    return existing or office_create(name=name, level=level, region=region, actor=None)


def _offices() -> dict[str, Office]:
    regency = Region.objects.get(code=REGENCY)
    offices = {
        "ri": _office("Bawaslu Republik Indonesia", OfficeLevel.RI, None),
        "province": _office(
            "Bawaslu Provinsi Jawa Timur", OfficeLevel.PROVINCE, Region.objects.get(code="35")
        ),
        "regency": _office("Bawaslu Kabupaten Malang", OfficeLevel.REGENCY, regency),
        "other_regency": _office(
            "Bawaslu Kabupaten Lumajang",
            OfficeLevel.REGENCY,
            Region.objects.get(code=OTHER_REGENCY),
        ),
    }
    districts = Region.objects.filter(parent=regency, level=Level.DISTRICT).order_by("code")
    for district in districts:
        office = _office(f"Panwaslu Kecamatan {district.name}", OfficeLevel.DISTRICT, district)
        offices.setdefault("district", office)
    villages = Region.objects.filter(parent=districts[0], level=Level.VILLAGE).order_by("code")
    for village in villages[:VILLAGE_OFFICE_COUNT]:
        _office(f"Panwaslu Kelurahan/Desa {village.name}", OfficeLevel.VILLAGE, village)
    return offices


def _users(offices: dict[str, Office]) -> list[DemoLogin]:
    logins = []
    for username, full_name, role, office_key in DEMO_USERS:
        office = offices[office_key]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = staff_user_create(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                office=office,
                role=role,
                organisation="BKPSDM Kabupaten Malang" if role == Role.PARTNER else "",
                # The admin edits reference data; commissioners and analysts read it there (an
                # admin is a superuser).
                is_staff=role in ANALYST_OR_ABOVE,
                is_superuser=role == Role.ADMIN,
                actor=None,
            )
        if user.requires_two_factor:
            # A known device so the demo can show the second step: `netra demo totp USER`.
            TOTPDevice.objects.get_or_create(user=user, name="Demo", defaults={"confirmed": True})
        logins.append(
            DemoLogin(username, user.get_role_display(), office.name, user.requires_two_factor)
        )
    return logins


def _people() -> list[Person]:
    regency = Region.objects.get(code=REGENCY)
    districts = list(
        Region.objects.filter(parent=regency, level=Level.DISTRICT)
        .order_by("code")
        .values_list("code", "name")
    )
    # A spread of villages: the first villages of every other district.
    villages: list[tuple[str, str]] = []
    for code, _name in districts[::2]:
        villages.extend(
            Region.objects.filter(parent_id=code, level=Level.VILLAGE)
            .order_by("code")
            .values_list("code", "name")[:3]
        )
    return roster(districts, villages[:ROSTER_VILLAGES])


ROSTER_KIND = {
    "pns": "PNS",
    "pppk": "PPPK",
    "village_head": "Kepala Desa",
    "village_official": "Perangkat Desa",
    "bpd": "BPD",
    "tni": "TNI",
    "polri": "Polri",
}


def _import_roster(people: list[Person]) -> None:
    """Write the roster as an office would receive it, then import it through the real path."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "daftar-subjek-kab-malang.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "nama",
                    "jenis",
                    "nip",
                    "nrp",
                    "jabatan",
                    "instansi",
                    "kode_wilayah_instansi",
                    "kode_wilayah_kerja",
                ]
            )
            for p in people:
                writer.writerow(
                    [
                        p.full_name,
                        ROSTER_KIND[p.kind],
                        p.nip,
                        p.nrp,
                        p.position,
                        p.agency,
                        p.agency_region,
                        p.workplace,
                    ]
                )
        roster_import(path=path)


def _handle(full_name: str, index: int) -> str:
    return f"{full_name.lower().replace(' ', '_')}{index % 90 + 10}"


PLATFORMS = [Platform.FACEBOOK, Platform.X, Platform.INSTAGRAM, Platform.TIKTOK]
# Ids in each platform's own shape; TikTok's Research API knows accounts by username.
ID_BASES = {
    Platform.X: 1_600_000_000_000_000_000,
    Platform.FACEBOOK: 100_090_000_000_000,
    Platform.INSTAGRAM: 17_841_400_000_000_000,
}


def _accounts(people: list[Person], analyst: User) -> list[DemoAccount]:
    """Give every ACCOUNT_EVERY-th subject an account; link most, confirm some, reject one."""
    subjects = {
        s.full_name: s for s in Subject.objects.filter(full_name__in=[p.full_name for p in people])
    }
    accounts: list[DemoAccount] = []
    for index, person in enumerate(people[::ACCOUNT_EVERY]):
        subject = subjects[person.full_name]
        platform = PLATFORMS[index % len(PLATFORMS)]
        handle = _handle(person.full_name, index)
        platform_id = str(ID_BASES[platform] + index) if platform in ID_BASES else handle
        bio = f"{person.position} · {person.agency}. Akun pribadi."
        account = account_upsert(
            platform=platform,
            platform_id=platform_id,
            handle=handle,
            display_name=person.full_name,
            bio=bio,
        )
        accounts.append(DemoAccount(platform_id, handle, person.full_name, platform, bio))
        if index % 5 == 4:
            continue  # seen, not yet linked to anyone (netra detect link proposes one)
        if AccountLink.objects.filter(subject=subject, account=account).exists():
            continue  # a second load: the proposal stands, as linkage last scored it
        confidence = Decimal("0.95") if index % 3 == 0 else Decimal("0.62")
        link = account_link_propose(
            subject=subject,
            account=account,
            confidence=confidence,
            proof=_("Nama tampilan dan jabatan pada bio cocok dengan data kepegawaian."),
            actor=analyst,
        )
        if link.status != LinkStatus.PROPOSED:
            continue
        if index % 3 == 0:
            account_link_decide(link=link, status=LinkStatus.CONFIRMED, actor=analyst)
        elif index == 7:
            account_link_decide(link=link, status=LinkStatus.REJECTED, actor=analyst)
    return accounts


def _relations(people: list[Person]) -> None:
    """A few known ties between subjects and the fictional candidates."""
    election = Election.objects.get(slug=ELECTION_SLUG)
    candidates = {c.number: c for c in Candidate.objects.filter(election=election)}
    ties = [
        (3, 1, "adik kandung calon"),
        (40, 2, "mantan anggota tim sukses 2019"),
        (120, 3, "pengurus relawan pendukung"),
    ]
    for position, number, relation in ties:
        subject = Subject.objects.get(full_name=people[position].full_name)
        CandidateRelation.objects.get_or_create(
            subject=subject, candidate=candidates[number], relation=relation
        )


def demo_load() -> DemoSummary:
    """Load the whole demo scenario; a second call changes nothing."""
    summary = DemoSummary()
    with transaction.atomic():
        regions_import(path=REGIONS_FILE)
        law_load()
        elections_import(path=ELECTION_FILE)
        offices = _offices()
        summary.logins = _users(offices)
        people = _people()
        _import_roster(people)
        accounts = _accounts(people, User.objects.get(username="demo_analis"))
        _relations(people)
    # Each file is loaded in its own batches and transactions, as netra ingest does.
    summary.activity = activity_load(
        Path(settings.VAR_DIR) / "demo" / "aktivitas",
        Election.objects.get(slug=ELECTION_SLUG),
        accounts,
        User.objects.get(username="demo_analis_lumajang"),
    )
    # Detection as a scheduled run would do it: link proposals from profiles, then the
    # verdicts, the rules and coordination over what was loaded.
    summary.linkage = linkage_run()
    summary.detection = detection_run(election=Election.objects.get(slug=ELECTION_SLUG))
    summary.flags = _flag_kinds()
    summary.counts = {
        _("wilayah"): Region.objects.count(),
        _("kantor pengawas"): Office.objects.count(),
        _("instansi"): Agency.objects.count(),
        _("subjek"): Subject.objects.count(),
        _("akun media sosial"): Account.objects.count(),
        _("tautan akun"): AccountLink.objects.count(),
        _("calon"): Candidate.objects.count(),
        _("konten media sosial"): Item.objects.count(),
        _("interaksi"): Interaction.objects.count(),
        _("rekaman dikarantina"): QuarantinedRecord.objects.count(),
        _("konten dinilai"): ContentVerdict.objects.count(),
        _("dinilai kampanye"): ContentVerdict.objects.filter(
            content_class=ContentClass.CAMPAIGN
        ).count(),
        _("tanda dugaan pelanggaran"): Flag.objects.count(),
    }
    return summary


def _flag_kinds() -> dict[str, int]:
    """How many flags of each act kind, and coordination flags, detection raised."""
    kinds: dict[str, int] = {}
    for kind, act in Flag.objects.values_list("kind", "act").order_by("kind", "act"):
        label = (
            str(FlagKind(kind).label) if kind == FlagKind.COORDINATION else str(ActKind(act).label)
        )
        kinds[label] = kinds.get(label, 0) + 1
    return kinds
