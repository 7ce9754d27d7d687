"""Linkage proposals per second and peak memory, over generated fictional subjects and
accounts, on one core.

    python bench/detect_linkage.py --accounts 100000 --subjects 20000 --seed 7 [--pool common]

Subjects get names drawn from common Javanese and Indonesian given and family names (so
there are many namesakes), titles and degrees, a position, an agency and a workplace in a
regency of Jawa Timur. A share of the accounts (``--owned``) is a subject's own, written as
people write profiles: a handle cut short, honorifics, a bio with some of the cues; the rest
are other people with the same kinds of names and bios. Needs no database: the Linker runs
on plain records, as ``linkage_run`` feeds it. Prints the build time, accounts and
proposals per second, candidate pairs scored per account, how many planted links were found
(first proposal of the account) and how many proposals named someone else, and the peak
resident memory of the process.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from netra.detection.linkage import AccountRecord, SubjectRecord

GIVEN = (  # noqa: SIM905 - a word list reads best as the text it imitates
    "Siti Sri Dewi Budi Agus Bambang Joko Eko Dwi Tri Slamet Sugeng Wahyu Hadi Heru Hari "
    "Hendra Andi Arif Rudi Dedi Iwan Yanto Yanti Nur Nurul Fitri Rina Rini Ani Yani Dian "
    "Ratna Wulan Indah Ayu Sari Lestari Tuti Endang Suparmi Suwarni Sutrisno Suparman "
    "Sukarno Sumarno Supriyadi Suyanto Mulyono Haryanto Purwanto Darmaji Kasiyem Painem "
    "Muhammad Ahmad Abdul Imam Ilham Rizki Fajar Bayu Dimas Galih Anggit Lukman Taufik"
).split()
FAMILY = (  # noqa: SIM905
    "Santoso Setiawan Kurniawan Hidayat Rahmawati Wibowo Prasetyo Nugroho Utomo Saputra "
    "Pratama Permana Kusuma Gunawan Hermawan Firmansyah Hidayati Maulana Handayani Suryani "
    "Susanti Purnama Wijaya Lestari Rahayu Ningsih Wahyuni Anggraini Puspita Safitri "
    "Hartono Suharto Sudarsono Mulyadi Harjono Subagyo Sutanto Wahyudi Rusdianto Effendi"
).split()
# Javanese-style names built from parts (Su-yanto, Har-wati …): with ``--pool mixed`` half
# the names come from these, for a spread of names closer to a real roster's.
HEADS = "Su Har Wi Dar Sri Pur Tri Sum Kus Mar Sar Wah Rus Bud Jum Sug Yu Sis Rah Nur".split()  # noqa: SIM905
TAILS = "yanto yati mono wati ningsih wanto jono yono adi ati anto ini iyah udin arno".split()  # noqa: SIM905
TITLES = ["Drs.", "Dra.", "Ir.", "Dr.", "H.", "Hj."]
DEGREES = ["S.Pd.", "M.Pd.", "S.E.", "S.H.", "M.Si.", "S.Kom.", "S.Sos.", "S.Pd.I", "M.M."]
HONORIFICS = ["Pak", "Bu", "Mas", "Mbak", "Bapak", "Ibu"]
REGENCIES = [
    ("35.01", "Pacitan"),
    ("35.02", "Ponorogo"),
    ("35.03", "Trenggalek"),
    ("35.04", "Tulungagung"),
    ("35.05", "Blitar"),
    ("35.06", "Kediri"),
    ("35.07", "Malang"),
    ("35.08", "Lumajang"),
    ("35.09", "Jember"),
    ("35.10", "Banyuwangi"),
    ("35.11", "Bondowoso"),
    ("35.12", "Situbondo"),
    ("35.13", "Probolinggo"),
    ("35.14", "Pasuruan"),
    ("35.15", "Sidoarjo"),
    ("35.16", "Mojokerto"),
    ("35.17", "Jombang"),
    ("35.18", "Nganjuk"),
    ("35.19", "Madiun"),
    ("35.20", "Magetan"),
]
DISTRICT_HEADS = ["Sumber", "Karang", "Wono", "Sido", "Tegal", "Kedung", "Banyu", "Ngadi"]
DISTRICT_TAILS = ["rejo", "mulyo", "sari", "agung", "asri", "makmur"]
JOBS = [
    # (kind, position, agency template, what a profile writes)
    ("pns", "Guru", "SD Negeri {n} {place}", ["Guru SDN {n} {place}", "guru", "Pendidik"]),
    ("pns", "Guru", "SMP Negeri {n} {place}", ["Guru SMPN {n} {place}", "Pengajar"]),
    ("pppk", "Guru", "SD Negeri {n} {place}", ["Guru PPPK", "P3K guru"]),
    ("pns", "Camat", "Kecamatan {place}", ["Camat {place}"]),
    ("pns", "Bidan", "Puskesmas {place}", ["Bidan desa", "Bidan Puskesmas {place}"]),
    ("pns", "Staf", "Dinas Pendidikan Kabupaten {regency}", ["Disdik Kab. {regency}", "ASN"]),
    ("village_head", "", "", ["Kades {place}", "Kepala Desa {place}"]),
    ("village_official", "Sekretaris Desa", "", ["Sekdes {place}", "Perangkat desa"]),
]
OTHER_BIOS = [
    "Pecinta kopi dan sepak bola",
    "Wiraswasta | Jual beli motor bekas",
    "Ibu rumah tangga, dua anak",
    "Mahasiswa",
    "Petani kopi di lereng gunung",
    "Ojek online ✌",
    "Hidup itu sederhana",
    "Guru les privat matematika",
    "Karyawan swasta",
    "",
]


def _compact(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalpha())


def _short(word: str) -> str:
    """A name word as handles shorten it: Wibowo → wbw, or its first four letters."""
    word = word.lower()
    consonants = word[0] + "".join(c for c in word[1:] if c not in "aiueo")
    return consonants if len(consonants) >= 2 else word[:4]


def generate(
    subjects: int, accounts: int, owned: float, seed: int, mixed: bool
) -> tuple[list[SubjectRecord], list[AccountRecord], dict[int, int]]:
    """Subjects, accounts, and which subject each planted account belongs to."""
    from netra.detection.linkage import AccountRecord, Place, SubjectRecord, name_tokens

    rng = random.Random(seed)
    built = [h + t for h in HEADS for t in TAILS]

    def pick(pool: list[str]) -> str:
        if mixed and rng.random() < 0.5:
            return rng.choice(built)
        return rng.choice(pool)

    districts = []
    for regency_code, regency in REGENCIES:
        for d in range(1, 16):
            name = rng.choice(DISTRICT_HEADS) + rng.choice(DISTRICT_TAILS)
            districts.append((f"{regency_code}.{d:02d}", name, regency_code, regency))
    people: list[SubjectRecord] = []
    places: dict[int, tuple[str, str]] = {}
    nips: set[str] = set()
    for i in range(subjects):
        given, family = pick(GIVEN), pick(FAMILY)
        name = f"{given} {family}" if rng.random() < 0.85 else given
        if " " in name and rng.random() < 0.35:
            name = f"{given} {pick(GIVEN)} {family}"  # Siti Nur Hidayati
        if rng.random() < 0.3:
            name = f"{rng.choice(TITLES)} {name}"
        if rng.random() < 0.4:
            name = f"{name}, {rng.choice(DEGREES)}"
        kind, position, agency, _cues = rng.choice(JOBS)
        code, district, regency_code, regency = rng.choice(districts)
        nip = ""
        if kind in {"pns", "pppk"}:
            while not nip or nip in nips:
                born = f"{rng.randrange(1965, 2000)}{rng.randrange(1, 13):02d}"
                born += f"{rng.randrange(1, 29):02d}"
                hired = f"{rng.randrange(1990, 2024)}{rng.randrange(1, 13):02d}"
                nip = f"{born}{hired}{rng.choice('12')}{rng.randrange(1, 999):03d}"
            nips.add(nip)
        people.append(
            SubjectRecord(
                id=i + 1,
                kind=kind,
                full_name=name,
                nip=nip,
                position=position,
                agency=agency.format(n=rng.randrange(1, 6), place=district, regency=regency),
                places=(
                    Place(code, district, "district"),
                    Place(regency_code, f"Kabupaten {regency}", "regency"),
                    Place("35", "Jawa Timur", "province"),
                ),
            )
        )
        places[i + 1] = (district, regency)
    jobs = {job[1] + job[0]: job for job in JOBS}
    records: list[AccountRecord] = []
    truth: dict[int, int] = {}
    for a in range(accounts):
        if rng.random() < owned:
            subject = rng.choice(people)
            district, regency = places[subject.id]
            words = [w.capitalize() for w in name_tokens(subject.full_name)]
            handle_words = [w.lower() for w in words]
            if len(handle_words) > 1 and rng.random() < 0.5:
                handle_words[-1] = _short(handle_words[-1])
            handle = rng.choice(["_", ".", ""]).join(handle_words)
            if rng.random() < 0.5:
                handle += str(rng.randrange(70, 99))
            display = " ".join(words)
            if rng.random() < 0.4:
                display = f"{rng.choice(HONORIFICS)} {display}"
            if rng.random() < 0.2:
                display = subject.full_name
            job = jobs.get(subject.position + subject.kind)
            cues = []
            if job and rng.random() < 0.8:
                cue = rng.choice(job[3])
                n = "".join(c for c in subject.agency if c.isdigit()) or "1"
                cues.append(cue.format(place=district, regency=regency, n=n))
            if rng.random() < 0.4:
                cues.append(f"Kab. {regency}")
            if subject.nip and rng.random() < 0.05:
                nip = subject.nip
                cues.append(f"NIP {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
            if rng.random() < 0.3:
                cues.append(rng.choice(OTHER_BIOS))
            rng.shuffle(cues)
            records.append(AccountRecord(a + 1, handle, display, " | ".join(cues)))
            truth[a + 1] = subject.id
        else:
            given, family = pick(GIVEN), pick(FAMILY)
            cut = family.lower()[: rng.randrange(3, 8)]
            handle = f"{given.lower()}{rng.choice(['_', '', '.'])}{cut}"
            bio = rng.choice(OTHER_BIOS)
            if rng.random() < 0.2:
                bio += f" | {rng.choice(districts)[3]}"
            records.append(
                AccountRecord(a + 1, handle + str(rng.randrange(100)), f"{given} {family}", bio)
            )
    return people, records, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--owned", type=float, default=0.2, help="share of subjects' own accounts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pool",
        choices=["mixed", "common"],
        default="mixed",
        help="names: half built from parts (mixed), or only the commonest ones (a stress case)",
    )
    args = parser.parse_args()
    django.setup()
    from netra.detection.linkage import Gazetteer, Linker

    started = time.perf_counter()
    subjects, accounts, truth = generate(
        args.subjects, args.accounts, args.owned, args.seed, args.pool == "mixed"
    )
    generated = time.perf_counter() - started
    gazetteer = Gazetteer.of(
        [("35", "Jawa Timur"), *((code, f"Kabupaten {name}") for code, name in REGENCIES)]
    )

    started = time.process_time()
    linker = Linker(subjects, gazetteer=gazetteer)
    built = time.process_time() - started

    # CPU time of this process: the machines we measure on are shared, wall time is not ours.
    started = time.process_time()
    wall = time.perf_counter()
    proposals = 0
    found = 0
    wrong = 0
    for account in accounts:
        out = linker.propose(account)
        proposals += len(out)
        owner = truth.get(account.id)
        if owner is not None and out and out[0].subject_id == owner:
            found += 1
        wrong += sum(1 for p in out if p.subject_id != owner)
    ran = time.process_time() - started
    wall = time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(
        f"generated {len(subjects):,} subjects and {len(accounts):,} accounts in {generated:.1f} s"
    )
    print(f"index built in {built:.2f} s of CPU ({len(linker.index):,} blocking keys)")
    namesakes = sum(s.namesakes for s in linker.subjects) / max(1, len(linker.subjects))
    print(f"namesakes per subject (itself included): {namesakes:.1f} on average")
    print(
        f"proposed in {ran:.1f} s of CPU ({wall:.1f} s wall): {len(accounts) / ran:,.0f} "
        f"accounts/s, {proposals / ran:,.0f} proposals/s ({proposals:,} proposals)"
    )
    print(
        f"pairs scored: {linker.scored:,} ({linker.scored / len(accounts):.1f} per account, "
        f"of {len(subjects):,} subjects)"
    )
    print(
        f"planted links found first: {found:,} of {len(truth):,} "
        f"({found / max(1, len(truth)):.1%}); proposals naming someone else: {wrong:,}"
    )
    print(f"peak resident memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
