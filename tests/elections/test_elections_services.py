"""Importing elections, stages and candidates from YAML and JSON files."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from netra.core.models import Event
from netra.elections.models import Candidate, CandidateAccount, Election, Stage
from netra.elections.services import ElectionsImportError, elections_import
from netra.geo.models import Region
from netra.staff.models import User

DATA = Path(__file__).parent / "data"
YAML_FILE = DATA / "pilkada-2024-malang.yaml"
JSON_FILE = DATA / "pemilu-2024.json"

pytestmark = pytest.mark.django_db


def _errors(path: Path) -> list[str]:
    with pytest.raises(ElectionsImportError) as caught:
        elections_import(path=path)
    return [str(error) for error in caught.value.errors]


def _write(tmp_path: Path, text: str, name: str = "pemilihan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


VALID_HEADER = """\
elections:
  - slug: pilkada-2024-kab-malang
    name: Pilkada Kabupaten Malang 2024
    regime: pilkada
    type: regent
    region: "35.07"
    year: 2024
"""


def test_it_imports_elections_stages_candidates_and_accounts_from_yaml(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    actor = personas["malang_analyst"]

    summary = elections_import(path=YAML_FILE, actor=actor)

    assert [(o.slug, o.status) for o in summary.elections] == [
        ("pilkada-2024-kab-malang", "created"),
        ("pilkada-2024-kota-malang", "created"),
    ]
    assert vars(summary.total("stages")) == {"created": 9, "updated": 0, "unchanged": 0}
    assert vars(summary.total("candidates")) == {"created": 5, "updated": 0, "unchanged": 0}
    assert vars(summary.total("accounts")) == {"created": 3, "updated": 0, "unchanged": 0}
    assert Election.objects.count() == 2
    assert Stage.objects.count() == 9
    assert Candidate.objects.count() == 5
    assert CandidateAccount.objects.count() == 3

    regent = Election.objects.get(slug="pilkada-2024-kab-malang")
    assert (regent.regime, regent.type, regent.region_id, regent.year) == (
        "pilkada",
        "regent",
        "35.07",
        2024,
    )
    assert [(s.kind, s.name, s.starts_on, s.ends_on) for s in regent.stages.all()] == [
        (
            "candidate_registration",
            "Pendaftaran pasangan calon",
            date(2024, 8, 27),
            date(2024, 8, 29),
        ),
        (
            "candidate_determination",
            "Penetapan pasangan calon",
            date(2024, 9, 22),
            date(2024, 9, 22),
        ),
        ("number_draw", "Pengundian nomor urut", date(2024, 9, 23), date(2024, 9, 23)),
        ("campaign", "Masa kampanye Pilkada 2024", date(2024, 9, 25), date(2024, 11, 23)),
        ("quiet_period", "Masa tenang", date(2024, 11, 24), date(2024, 11, 26)),
        ("count_recap", "Penghitungan dan rekapitulasi", date(2024, 11, 27), date(2024, 12, 16)),
        ("voting", "Pemungutan suara", date(2024, 11, 27), date(2024, 11, 27)),
    ]
    first = regent.candidates.get(number=1)
    assert (first.name, first.running_mate, first.party_or_coalition, first.independent) == (
        "Bagus Santoso Wiryawan",
        "Ratna Dewi Kartikasari",
        "Koalisi Malang Maju",
        False,
    )
    assert first.aliases == ["Mas Bagus", "BSW"]
    assert first.hashtags == ["BagusRatna", "MalangMaju"]
    assert first.slogans == ["Malang Maju Bersama"]
    assert [
        (a.platform, a.handle, a.url, a.is_campaign_team) for a in first.accounts.order_by("id")
    ] == [
        ("instagram", "bagusratna.fiktif", "https://www.instagram.com/bagusratna.fiktif/", False),
        ("x", "timbagusratna_fiktif", "", True),
    ]
    third = regent.candidates.get(number=3)
    assert (third.independent, third.party_or_coalition) == (True, "")

    events = Event.objects.filter(kind="elections.election_created").order_by("id")
    assert [(e.subject_id, e.actor) for e in events] == [
        (str(regent.pk), actor),
        (str(Election.objects.get(slug="pilkada-2024-kota-malang").pk), actor),
    ]
    assert events[0].params["stages"] == {"created": 7, "updated": 0, "unchanged": 0}
    assert events[0].params["file"] == "pilkada-2024-malang.yaml"
    assert events[0].params["sha256"] == summary.sha256


def test_it_imports_a_national_election_from_json(regions: dict[str, Region]) -> None:
    summary = elections_import(path=JSON_FILE)

    election = Election.objects.get()
    assert (election.slug, election.regime, election.type, election.region_id) == (
        "pemilu-2024-presiden",
        "pemilu",
        "president",
        None,
    )
    assert [(s.kind, s.starts_on, s.ends_on) for s in election.stages.order_by("starts_on")][
        :2
    ] == [
        ("candidate_registration", date(2023, 10, 19), date(2023, 11, 25)),
        ("campaign", date(2023, 11, 28), date(2024, 2, 10)),
    ]
    assert election.stages.count() == 5
    assert list(election.candidates.values_list("number", "name")) == [
        (1, "Darmawan Setiadi"),
        (2, "Wahyu Hidayat"),
    ]
    assert vars(summary.total("accounts")) == {"created": 1, "updated": 0, "unchanged": 0}


def test_it_detects_json_by_content_when_the_extension_says_nothing(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = tmp_path / "pemilihan.txt"
    path.write_bytes(JSON_FILE.read_bytes())

    elections_import(path=path)

    assert Election.objects.get().slug == "pemilu-2024-presiden"


def test_it_reads_yaml_when_the_extension_says_nothing(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = tmp_path / "pemilihan"
    path.write_bytes(YAML_FILE.read_bytes())

    elections_import(path=path)

    assert Election.objects.count() == 2


def test_a_second_import_of_the_same_file_changes_nothing(regions: dict[str, Region]) -> None:
    elections_import(path=YAML_FILE)
    events_before = Event.objects.count()

    summary = elections_import(path=YAML_FILE)

    assert [o.status for o in summary.elections] == ["unchanged", "unchanged"]
    assert vars(summary.total("stages")) == {"created": 0, "updated": 0, "unchanged": 9}
    assert vars(summary.total("candidates")) == {"created": 0, "updated": 0, "unchanged": 5}
    assert vars(summary.total("accounts")) == {"created": 0, "updated": 0, "unchanged": 3}
    assert (Election.objects.count(), Stage.objects.count(), Candidate.objects.count()) == (2, 9, 5)
    assert Event.objects.count() == events_before


def test_it_updates_changed_rows_and_records_one_event_per_changed_election(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    elections_import(path=YAML_FILE)
    changed = YAML_FILE.read_text(encoding="utf-8")
    changed = changed.replace(
        "ends_on: 2024-11-23\n      - kind: quiet_period",
        "ends_on: 2024-11-22\n      - kind: quiet_period",
    )
    changed = changed.replace("name: Hendra Kusuma Adiputra", "name: Hendra Kusuma Adiputra, S.E.")
    path = tmp_path / "ubah.yaml"
    path.write_text(changed, encoding="utf-8")

    summary = elections_import(path=path)

    assert [(o.slug, o.status) for o in summary.elections] == [
        ("pilkada-2024-kab-malang", "updated"),
        ("pilkada-2024-kota-malang", "unchanged"),
    ]
    regent = summary.elections[0]
    assert vars(regent.stages) == {"created": 0, "updated": 1, "unchanged": 6}
    assert vars(regent.candidates) == {"created": 0, "updated": 1, "unchanged": 2}
    campaign = Stage.objects.get(election__slug="pilkada-2024-kab-malang", kind="campaign")
    assert campaign.ends_on == date(2024, 11, 22)
    assert Candidate.objects.get(election__slug="pilkada-2024-kab-malang", number=2).name == (
        "Hendra Kusuma Adiputra, S.E."
    )
    updated = Event.objects.get(kind="elections.election_updated")
    assert updated.subject_id == str(Election.objects.get(slug="pilkada-2024-kab-malang").pk)
    assert updated.params["candidates"] == {"created": 0, "updated": 1, "unchanged": 2}


def test_it_writes_nothing_when_one_election_of_the_file_is_bad(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    text = YAML_FILE.read_text(encoding="utf-8").replace('region: "35.73"', 'region: "35.99"')
    path = tmp_path / "salah.yaml"
    path.write_text(text, encoding="utf-8")

    assert _errors(path) == [
        "elections[1].region: kode wilayah 35.99 tidak ada dalam data wilayah",
    ]
    assert (Election.objects.count(), Stage.objects.count(), Event.objects.count()) == (0, 0, 0)


def test_it_reports_every_schema_error_with_its_path(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        """\
        elections:
          - slug: pilkada 2024
            name: ""
            regime: pilkada
            type: walikota
            region: 35.07
            year: dua ribu
            colour: merah
            stages:
              - kind: kampanye
                starts_on: 25-09-2024
                ends_on: 2024-02-30
            candidates:
              - number: 0
                name: Calon Fiktif
                independent: kadang
                hashtags: ["Dua Kata"]
                accounts:
                  - platform: friendster
                    handle: "@"
                    url: bukan-tautan
              - name: Tanpa Nomor
        """,
    )

    assert _errors(path) == [
        "elections[0].slug: kode pilkada 2024 hanya boleh berisi huruf, angka, tanda hubung "
        "dan garis bawah",
        "elections[0].name: tidak boleh kosong",
        "elections[0].type: harus salah satu dari: president, dpr, dpd, dprd_province, "
        "dprd_regency, governor, regent, mayor",
        "elections[0].region: kode wilayah harus ditulis sebagai teks dalam tanda kutip, "
        'misalnya "35.07"',
        "elections[0].year: harus berupa bilangan bulat",
        "elections[0].stages[0].kind: harus salah satu dari: candidate_registration, "
        "candidate_determination, number_draw, campaign, quiet_period, voting, count_recap, other",
        "elections[0].stages[0].starts_on: harus berupa tanggal dengan format TTTT-BB-HH, "
        "misalnya 2024-11-27",
        "elections[0].stages[0].ends_on: tanggal 2024-02-30 tidak ada",
        "elections[0].candidates[0].number: paling kecil 1",
        "elections[0].candidates[0].independent: harus bernilai true atau false",
        "elections[0].candidates[0].hashtags: tagar Dua Kata tidak boleh berisi spasi",
        "elections[0].candidates[0].accounts[0].platform: harus salah satu dari: x, facebook, "
        "instagram, tiktok, youtube, threads, other",
        "elections[0].candidates[0].accounts[0].handle: nama akun tidak boleh kosong",
        "elections[0].candidates[0].accounts[0].url: tautan bukan-tautan tidak sah",
        "elections[0].candidates[1].number: wajib diisi",
        "elections[0].colour: kunci tidak dikenal",
    ]


def test_it_reports_every_consistency_error_with_its_path(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        """\
        elections:
          - slug: pilkada-2024-kab-malang
            name: Pilkada Kabupaten Malang 2024
            regime: pemilu
            type: regent
            region: "35.73"
            year: 2024
            stages:
              - kind: campaign
                starts_on: 2024-11-23
                ends_on: 2024-09-25
              - kind: campaign
                name: Masa kampanye
                starts_on: 2024-09-25
                ends_on: 2024-11-23
            candidates:
              - number: 1
                name: Calon Satu
                independent: true
                party_or_coalition: Partai Fiktif
                accounts:
                  - {platform: x, handle: CalonSatu}
                  - {platform: x, handle: "@calonsatu"}
              - number: 1
                name: Calon Dua
          - slug: pilkada-2024-kab-malang
            name: Pilkada Jawa Timur 2024
            regime: pilkada
            type: governor
            year: 2024
          - slug: pilpres-2024
            name: Pilpres 2024
            regime: pemilu
            type: president
            region: "35"
            year: 2024
          - slug: pilkada-2024-lumajang
            name: Pilwali Lumajang
            regime: pilkada
            type: mayor
            region: "35.08"
            year: 2024
          - slug: pilgub-2024-jatim
            name: Pilgub
            regime: pilkada
            type: governor
            region: "35.07.01"
            year: 2024
        """,
    )

    assert _errors(path) == [
        "elections[0].regime: jenis regent (Bupati dan Wakil Bupati) termasuk rezim pilkada, "
        "bukan pemilu",
        "elections[0].region: 35.73 Kota Malang adalah kota; pemilihan bupati (regent) hanya di "
        "kabupaten",
        "elections[0].stages[0].ends_on: tanggal selesai 2024-09-25 lebih awal dari tanggal "
        "mulai 2024-11-23",
        "elections[0].stages[1]: tahapan campaign bernama Masa kampanye sudah ada di "
        "elections[0].stages[0]",
        "elections[0].candidates[0].party_or_coalition: calon perseorangan (independent: true) "
        "tidak diusung partai; kosongkan party_or_coalition",
        "elections[0].candidates[0].accounts[1]: akun x @calonsatu sudah tercantum di "
        "elections[0].candidates[0].accounts[0]",
        "elections[0].candidates[1].number: nomor urut 1 sudah dipakai oleh "
        "elections[0].candidates[0]",
        "elections[1].slug: kode pilkada-2024-kab-malang sudah dipakai oleh elections[0]",
        "elections[1].region: wajib diisi untuk jenis governor",
        "elections[2].region: pemilihan presiden bersifat nasional; hapus wilayah",
        "elections[3].region: 35.08 Kabupaten Lumajang adalah kabupaten; pemilihan wali kota "
        "(mayor) hanya di kota",
        "elections[4].region: jenis governor memerlukan wilayah provinsi, bukan 35.07.01 Donomulyo",
    ]
    assert Election.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("kosong.yaml", b"", ["isi berkas harus berupa pemetaan dengan kunci elections"]),
        (
            "daftar.yaml",
            b"- satu\n- dua\n",
            ["isi berkas harus berupa pemetaan dengan kunci elections"],
        ),
        ("tanpa.yaml", b"version: 1\n", ["elections: wajib diisi"]),
        ("nol.yaml", b"elections: []\n", ["elections: harus berisi paling sedikit 1 butir"]),
        (
            "versi.yaml",
            b"version: 2\nelections: []\n",
            [
                "version: versi format 2 tidak dikenal; yang didukung: 1",
                "elections: harus berisi paling sedikit 1 butir",
            ],
        ),
        (
            "rusak.yaml",
            b"elections:\n  - slug: a\n   name: b\n",
            [
                "YAML tidak sah pada baris 3, kolom 4",
            ],
        ),
        (
            "ganda.yaml",
            b"elections: []\nelections: []\n",
            [
                "YAML tidak sah pada baris 2, kolom 1: kunci elections ganda",
            ],
        ),
        (
            "alias.yaml",
            b"a: &x [1]\nelections: *x\n",
            [
                "YAML tidak sah pada baris 2, kolom 12: alias (*) tidak diizinkan",
            ],
        ),
        ("rusak.json", b'{"elections": [}', ["JSON tidak sah pada baris 1, kolom 16"]),
        (
            "ganda.json",
            b'{"elections": [], "elections": []}',
            [
                "JSON tidak sah: kunci elections ganda",
            ],
        ),
        (
            "latin1.yaml",
            "elections:\n  - name: Pemilihan Bupati Ngawi (Pil\xe9)\n".encode("latin-1"),
            [
                "berkas bukan teks UTF-8: byte 0xE9 pada posisi 48 (baris 2) tidak sah; "
                "simpan ulang berkas dengan pengodean UTF-8",
            ],
        ),
        (
            "biner.json",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            ["berkas berisi data biner, bukan YAML atau JSON"],
        ),
    ],
)
def test_it_rejects_an_unreadable_document_with_a_clear_message(
    regions: dict[str, Region], tmp_path: Path, name: str, content: bytes, expected: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    assert _errors(path) == expected
    assert Election.objects.count() == 0


def test_it_accepts_a_utf8_byte_order_mark(regions: dict[str, Region], tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + JSON_FILE.read_bytes())

    elections_import(path=path)

    assert Election.objects.get().slug == "pemilu-2024-presiden"


def test_it_keeps_rows_that_a_later_file_no_longer_lists(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    elections_import(path=JSON_FILE)
    document = json.loads(JSON_FILE.read_text(encoding="utf-8"))
    document["elections"][0]["candidates"] = document["elections"][0]["candidates"][:1]
    path = tmp_path / "sebagian.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    summary = elections_import(path=path)

    assert summary.elections[0].status == "unchanged"
    assert Candidate.objects.count() == 2


def test_a_header_only_election_is_enough(regions: dict[str, Region], tmp_path: Path) -> None:
    summary = elections_import(path=_write(tmp_path, VALID_HEADER))

    assert [(o.slug, o.status) for o in summary.elections] == [
        ("pilkada-2024-kab-malang", "created")
    ]
    assert (Stage.objects.count(), Candidate.objects.count()) == (0, 0)


def _doc_block(language: str) -> str:
    doc = Path(__file__).parents[2] / "docs" / "elections-format.md"
    text = doc.read_text(encoding="utf-8")
    return text.split(f"```{language}\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(
    ("language", "slugs"),
    [
        ("yaml", ["pilkada-2024-kab-malang", "pemilu-2024-presiden"]),
        ("json", ["pemilu-2024-presiden"]),
    ],
)
def test_the_documented_examples_import_as_documented(
    regions: dict[str, Region], tmp_path: Path, language: str, slugs: list[str]
) -> None:
    path = tmp_path / f"contoh.{language}"
    path.write_text(_doc_block(language), encoding="utf-8")

    summary = elections_import(path=path)

    assert [o.slug for o in summary.elections] == slugs
