"""Deterministic fictional people and agencies for the demo scenario.

Names are drawn from common Indonesian given names and family names with a fixed
seed, so every run yields the same roster (the demo loads idempotently) and no row
is meant to be a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

GIVEN = [
    "Agus",
    "Budi",
    "Dewi",
    "Eko",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nanda",
    "Oki",
    "Putri",
    "Rahmat",
    "Sari",
    "Teguh",
    "Umi",
    "Wahyu",
    "Yanti",
    "Zainal",
    "Arif",
    "Bayu",
    "Citra",
    "Dian",
    "Endang",
    "Fajar",
    "Galih",
    "Hesti",
    "Imam",
    "Januar",
    "Kurnia",
    "Lukman",
    "Mega",
    "Novi",
    "Prasetyo",
    "Rina",
    "Slamet",
    "Tri",
    "Utami",
    "Vina",
    "Yusuf",
    "Anis",
    "Bambang",
    "Dwi",
    "Erna",
    "Heru",
    "Ika",
    "Sugeng",
]
FAMILY = [
    "Santoso",
    "Wibowo",
    "Rahayu",
    "Setiawan",
    "Lestari",
    "Hidayat",
    "Kurniawan",
    "Susanti",
    "Pratama",
    "Saputri",
    "Nugroho",
    "Wulandari",
    "Firmansyah",
    "Handayani",
    "Purnomo",
    "Maharani",
    "Suryadi",
    "Anggraini",
    "Hartono",
    "Permatasari",
    "Sutrisno",
    "Puspitasari",
    "Gunawan",
    "Ramadhani",
    "Haryanto",
    "Novitasari",
    "Syahputra",
    "Kusuma",
    "Wijaya",
    "Utomo",
]

# Regency-level agencies of the (real) Kabupaten Malang government; staffed with fictional people.
REGENCY_AGENCIES = [
    "Sekretariat Daerah Kabupaten Malang",
    "Dinas Pendidikan Kabupaten Malang",
    "Dinas Kesehatan Kabupaten Malang",
    "Dinas Pekerjaan Umum Sumber Daya Air Kabupaten Malang",
    "Dinas Sosial Kabupaten Malang",
    "Dinas Komunikasi dan Informatika Kabupaten Malang",
    "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Malang",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Malang",
    "Badan Perencanaan Pembangunan Daerah Kabupaten Malang",
    "Satuan Polisi Pamong Praja Kabupaten Malang",
    "RSUD Kanjuruhan Kabupaten Malang",
    "Dinas Pertanian Kabupaten Malang",
]

POSITIONS = {
    "pns": [
        "Guru Ahli Pertama",
        "Guru Ahli Muda",
        "Analis Kebijakan",
        "Pengelola Keuangan",
        "Perawat Terampil",
        "Bidan Terampil",
        "Kepala Seksi",
        "Kepala Bidang",
        "Penyuluh Pertanian",
        "Pranata Komputer",
        "Camat",
        "Sekretaris Camat",
    ],
    "pppk": ["Guru Ahli Pertama", "Perawat Terampil", "Penyuluh Pertanian", "Tenaga Teknis"],
    "village_head": ["Kepala Desa"],
    "village_official": [
        "Sekretaris Desa",
        "Kepala Urusan Keuangan",
        "Kepala Dusun",
        "Kepala Seksi Pemerintahan",
    ],
    "bpd": ["Ketua BPD", "Anggota BPD"],
    "tni": ["Bintara Pembina Desa"],
    "polri": ["Bhabinkamtibmas"],
}


@dataclass(frozen=True)
class Person:
    kind: str
    full_name: str
    nip: str
    nrp: str
    position: str
    agency: str
    agency_region: str
    workplace: str


def _nip(rng: random.Random, serial: int) -> str:
    """An 18-digit NIP shaped like a real one: birth date, appointment month, sex, serial."""
    birth = f"{rng.randint(1968, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    appointed = f"{rng.randint(2000, 2023)}{rng.randint(1, 12):02d}"
    return f"{birth}{appointed}{rng.randint(1, 2)}{serial % 1000:03d}"


def roster(districts: list[tuple[str, str]], villages: list[tuple[str, str]]) -> list[Person]:
    """The demo roster: over 500 fictional subjects across the given districts and villages.

    ``districts`` and ``villages`` are (code, name) pairs of real regions.
    """
    rng = random.Random(20241127)  # noqa: S311 — reproducible fiction, not a secret
    used: set[str] = set()

    def name() -> str:
        while True:
            candidate = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            if candidate not in used:
                used.add(candidate)
                return candidate
            candidate = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    people: list[Person] = []
    serial = 0
    for index, agency in enumerate(REGENCY_AGENCIES):
        for _ in range(22 if index < 3 else 12):
            serial += 1
            kind = "pppk" if serial % 4 == 0 else "pns"
            district = rng.choice(districts)
            people.append(
                Person(
                    kind,
                    name(),
                    _nip(rng, serial),
                    "",
                    rng.choice(POSITIONS[kind]),
                    agency,
                    "35.07",
                    district[0],
                )
            )
    for code, district_name in districts:
        office = f"Kecamatan {district_name}"
        for _ in range(4):
            serial += 1
            kind = "pppk" if serial % 5 == 0 else "pns"
            people.append(
                Person(
                    kind,
                    name(),
                    _nip(rng, serial),
                    "",
                    rng.choice(POSITIONS[kind]),
                    office,
                    code,
                    code,
                )
            )
        school = f"SD Negeri 1 {district_name}"
        for _ in range(2):
            serial += 1
            people.append(
                Person("pns", name(), _nip(rng, serial), "", "Guru Ahli Muda", school, code, code)
            )
    for code, village_name in villages:
        office = f"Pemerintah Desa {village_name}"
        people.append(Person("village_head", name(), "", "", "Kepala Desa", office, code, code))
        for _ in range(2):
            people.append(
                Person(
                    "village_official",
                    name(),
                    "",
                    "",
                    rng.choice(POSITIONS["village_official"]),
                    office,
                    code,
                    code,
                )
            )
        people.append(
            Person("bpd", name(), "", "", rng.choice(POSITIONS["bpd"]), office, code, code)
        )
    for index, (code, _district_name) in enumerate(districts[:6]):
        people.append(
            Person(
                "tni",
                name(),
                "",
                f"{31000000 + index * 1379}",
                "Bintara Pembina Desa",
                "Kodim 0818/Malang-Batu",
                "35.07",
                code,
            )
        )
        people.append(
            Person(
                "polri",
                name(),
                "",
                f"{87000000 + index * 2113}",
                "Bhabinkamtibmas",
                "Polres Malang",
                "35.07",
                code,
            )
        )
    return people
