"""Importing a roster of subjects from CSV and XLSX: all rows or none."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from netra.core.models import Event
from netra.geo.models import Region
from netra.registry import importers
from netra.registry.models import Agency, Subject
from netra.registry.services import RosterImportError, roster_import
from netra.staff.models import User

pytestmark = pytest.mark.django_db

HEADER = [
    "No",
    "Nama",
    "Jenis",
    "NIP",
    "NRP",
    "Jabatan",
    "Instansi",
    "Kode Wilayah Instansi",
    "Kode Wilayah Kerja",
    "Catatan",
]
# Fictional people in real places (Kabupaten Malang, one in Lumajang).
ROWS = [
    ["1", "Siti Rahmawati", "PNS", "198501012010012001", "", "Guru Ahli Pertama",
     "SD Negeri 1 Tulungrejo", "35.07.01", "35.07.01.2001", ""],
    ["2", "Bambang Sutrisno", "pns", "197803152005011002", "", "Camat",
     "Kecamatan Donomulyo", "35.07.01", "35.07.01", ""],
    ["3", "Dewi Lestari", "PPPK", "199002202022212003", "", "Penata Kelola",
     "Dinas Pendidikan Kabupaten Malang", "35.07", "35.07.02", ""],
    ["4", "Agus Salim Wijaya", "Kepala Desa", "", "", "Kepala Desa Tulungrejo",
     "Pemerintah Desa Tulungrejo", "35.07.01.2001", "35.07.01.2001", "menjabat sejak 2019"],
    ["5", "Nur Hidayah", "perangkat_desa", "", "", "Sekretaris Desa",
     "Pemerintah Desa Tulungrejo", "35.07.01.2001", "35.07.01.2001", ""],
    ["6", "Joko Susilo", "BPD", "", "", "Ketua BPD",
     "Pemerintah Desa Sumbermanjing Kulon", "35.07.02.2001", "35.07.02.2001", ""],
    ["7", "Rudi Hermawan", "TNI", "", "11050012340", "Babinsa",
     "Koramil Donomulyo", "35.07.01", "35.07.01", ""],
    ["8", "Eko Prasetyo", "Polri", "", "87051234", "Bhabinkamtibmas",
     "Polsek Donomulyo", "35.07.01", "35.07.01", ""],
    ["9", "Wahyuni Sari", "PNS", "1988 0707 201503 2 004", "", "Analis Kebijakan",
     "dinas pendidikan kabupaten malang", "35.07", "35.07", ""],
    ["10", "Hartono", "PNS", "197512122000031005", "", "Guru",
     "SMP Negeri 1 Tempursari", "35.08.01", "35.08.01", ""],
]  # fmt: skip


def _csv(
    tmp_path: Path,
    rows: list[list[str]],
    *,
    header: list[str] = HEADER,
    name: str = "daftar.csv",
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], *, header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "daftar.xlsx"
    workbook.save(path)
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(RosterImportError) as caught:
        roster_import(path=path)
    return [str(error) for error in caught.value.errors]


def _nothing_written() -> bool:
    return (Subject.objects.count(), Agency.objects.count(), Event.objects.count()) == (0, 0, 0)


def test_it_imports_every_row_of_a_csv_roster(
    regions: dict[str, Region], personas: dict[str, User | None], tmp_path: Path
) -> None:
    path = _csv(tmp_path, ROWS)

    summary = roster_import(path=path, actor=personas["malang_analyst"])

    assert (
        summary.rows_read,
        summary.subjects_created,
        summary.subjects_updated,
        summary.subjects_unchanged,
        summary.agencies_created,
    ) == (10, 10, 0, 0, 8)
    assert Subject.objects.count() == 10
    assert sorted(Agency.objects.values_list("region_id", "name")) == [
        ("35.07", "Dinas Pendidikan Kabupaten Malang"),
        ("35.07.01", "Kecamatan Donomulyo"),
        ("35.07.01", "Koramil Donomulyo"),
        ("35.07.01", "Polsek Donomulyo"),
        ("35.07.01", "SD Negeri 1 Tulungrejo"),
        ("35.07.01.2001", "Pemerintah Desa Tulungrejo"),
        ("35.07.02.2001", "Pemerintah Desa Sumbermanjing Kulon"),
        ("35.08.01", "SMP Negeri 1 Tempursari"),
    ]
    siti = Subject.objects.get(nip="198501012010012001")
    assert siti.agency is not None
    assert (siti.kind, siti.full_name, siti.position, siti.agency.name, siti.workplace_id) == (
        "pns",
        "Siti Rahmawati",
        "Guru Ahli Pertama",
        "SD Negeri 1 Tulungrejo",
        "35.07.01.2001",
    )
    wahyuni = Subject.objects.get(full_name="Wahyuni Sari")
    # Spaces inside a NIP are dropped; an agency differing only in case is the same agency.
    assert wahyuni.nip == "198807072015032004"
    assert wahyuni.agency == Subject.objects.get(full_name="Dewi Lestari").agency
    assert list(Subject.objects.order_by("full_name").values_list("full_name", "kind", "nrp")) == [
        ("Agus Salim Wijaya", "village_head", ""),
        ("Bambang Sutrisno", "pns", ""),
        ("Dewi Lestari", "pppk", ""),
        ("Eko Prasetyo", "polri", "87051234"),
        ("Hartono", "pns", ""),
        ("Joko Susilo", "bpd", ""),
        ("Nur Hidayah", "village_official", ""),
        ("Rudi Hermawan", "tni", "11050012340"),
        ("Siti Rahmawati", "pns", ""),
        ("Wahyuni Sari", "pns", ""),
    ]
    assert Subject.objects.get(full_name="Agus Salim Wijaya").notes == "menjabat sejak 2019"

    event = Event.objects.get()
    assert (event.kind, event.actor, event.subject_id) == (
        "registry.roster_imported",
        personas["malang_analyst"],
        "",
    )
    assert event.params == {
        "file": "daftar.csv",
        "sha256": summary.sha256,
        "rows_read": 10,
        "subjects_created": 10,
        "subjects_updated": 0,
        "subjects_unchanged": 0,
        "agencies_created": 8,
    }


def test_it_imports_every_row_of_an_xlsx_roster(regions: dict[str, Region], tmp_path: Path) -> None:
    rows: list[list[object]] = [list(row) for row in ROWS]
    rows[7][4] = 87051234  # a short number is exact in a numeric cell
    rows[1][0] = None

    summary = roster_import(path=_xlsx(tmp_path, rows))

    assert (summary.rows_read, summary.subjects_created, summary.agencies_created) == (10, 10, 8)
    assert Subject.objects.get(full_name="Eko Prasetyo").nrp == "87051234"
    assert Subject.objects.get(full_name="Siti Rahmawati").nip == "198501012010012001"


def test_a_second_import_of_the_same_roster_creates_and_changes_nothing(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = _csv(tmp_path, ROWS)
    roster_import(path=path)
    stamps = dict(Subject.objects.values_list("pk", "updated_at"))

    summary = roster_import(path=path)

    assert (
        summary.rows_read,
        summary.subjects_created,
        summary.subjects_updated,
        summary.subjects_unchanged,
        summary.agencies_created,
    ) == (10, 0, 0, 10, 0)
    assert (Subject.objects.count(), Agency.objects.count()) == (10, 8)
    assert dict(Subject.objects.values_list("pk", "updated_at")) == stamps
    # A repeated import changes no state, so it adds no event.
    assert Event.objects.filter(kind="registry.roster_imported").count() == 1


def test_it_updates_subjects_found_by_nip_nrp_or_name_and_agency(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    roster_import(path=_csv(tmp_path, ROWS))
    ids = dict(Subject.objects.values_list("full_name", "pk"))
    changed = [list(row) for row in ROWS]
    changed[0][1] = "Siti Rahmawati, S.Pd."  # found by NIP: the name may change
    changed[6][5] = "Danramil"  # found by (TNI, NRP)
    changed[3][8] = "35.07.01"  # found by (kind, name, agency)
    path = _csv(tmp_path, changed, name="ubah.csv")

    summary = roster_import(path=path)

    assert (summary.subjects_created, summary.subjects_updated, summary.subjects_unchanged) == (
        0,
        3,
        7,
    )
    assert Subject.objects.get(pk=ids["Siti Rahmawati"]).full_name == "Siti Rahmawati, S.Pd."
    assert Subject.objects.get(pk=ids["Rudi Hermawan"]).position == "Danramil"
    assert Subject.objects.get(pk=ids["Agus Salim Wijaya"]).workplace_id == "35.07.01"


def test_a_column_missing_from_the_file_leaves_stored_values_alone(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    roster_import(path=_csv(tmp_path, ROWS))
    header = HEADER[:5] + HEADER[6:9]
    rows = [row[:5] + row[6:9] for row in ROWS]

    summary = roster_import(path=_csv(tmp_path, rows, header=header, name="ringkas.csv"))

    assert (summary.subjects_updated, summary.subjects_unchanged) == (0, 10)
    agus = Subject.objects.get(full_name="Agus Salim Wijaya")
    assert (agus.position, agus.notes) == ("Kepala Desa Tulungrejo", "menjabat sejak 2019")


def test_it_rejects_the_whole_roster_when_one_row_is_bad(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    rows = [list(row) for row in ROWS]
    rows[5][3] = "12345"  # the BPD member on spreadsheet row 7

    assert _errors(_csv(tmp_path, rows)) == [
        "baris 7, kolom nip: NIP harus 18 digit angka (tertulis 12345, 5 karakter)"
    ]
    assert _nothing_written()


def test_it_reports_every_bad_row_with_its_column_and_reason(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    rows = [
        ["", "", "PNS", "198501012010012001", "", "", "", "", "35.07", ""],
        ["", "Ani", "Guru Honorer", "", "", "", "", "", "35.07", ""],
        ["", "Budi", "TNI", "198501012010012009", "", "", "", "", "35.07", ""],
        ["", "Citra", "PNS", "", "87051234", "", "", "", "35.07", ""],
        ["", "Dodi", "Polri", "", "87-05", "", "", "", "35.07", ""],
        ["", "Eka", "PNS", "1.98501E+17", "", "", "", "", "35.07", ""],
        ["", "Fajar", "PNS", "", "", "", "Dinas Sosial", "", "35.07", ""],
        ["", "Gita", "PNS", "", "", "", "", "35.07", "35.07", ""],
        ["", "Hadi", "PNS", "", "", "", "", "", "", ""],
        ["", "Indah", "PNS", "", "", "", "Dinas Fiktif", "35.99", "3507", ""],
        ["", "Joko", "PNS", "198501012010012001", "", "", "", "", "35.07", ""],
        ["", "Kartika", "Perangkat Desa", "", "", "", "", "", "35.07", ""],
        ["", "Kartika", "Perangkat Desa", "", "", "", "", "", "35.08", ""],
        ["", "Lina", "PNS", "", "", "", "", "", "35.07", "", "lebih"],
        ["", "Made", "PNS", "", "", "", "Dinas Fiktif", "35.99", "35.98", ""],
    ]

    assert _errors(_csv(tmp_path, rows)) == [
        "baris 2, kolom nama: wajib diisi",
        "baris 3, kolom jenis: jenis Guru Honorer tidak dikenal; gunakan PNS, PPPK, Kepala Desa, "
        "Perangkat Desa, BPD, TNI atau Polri",
        "baris 4, kolom nip: NIP hanya untuk PNS dan PPPK, bukan TNI",
        "baris 5, kolom nrp: NRP hanya untuk TNI dan Polri, bukan PNS",
        "baris 6, kolom nrp: NRP harus 5 sampai 20 digit angka (tertulis 87-05)",
        "baris 7, kolom nip: NIP tertulis dalam notasi ilmiah (1.98501E+17); format kolom "
        "sebagai Teks di Excel lalu ketik ulang",
        "baris 8, kolom kode_wilayah_instansi: wajib diisi bila instansi diisi",
        "baris 9, kolom instansi: wajib diisi bila kode_wilayah_instansi diisi",
        "baris 10, kolom kode_wilayah_kerja: wajib diisi",
        "baris 11, kolom kode_wilayah_instansi: kode wilayah 35.99 tidak ada dalam data wilayah",
        "baris 11, kolom kode_wilayah_kerja: kode wilayah 3507 tidak berbentuk PP, PP.KK, "
        "PP.KK.CC atau PP.KK.CC.DDDD",
        "baris 12, kolom nip: NIP 198501012010012001 sudah dipakai di baris 2",
        "baris 14, kolom nama: Kartika dengan jenis dan instansi yang sama sudah ada di baris 13; "
        "bedakan dengan NIP atau NRP",
        "baris 15: baris berisi 11 sel, lebih banyak dari judul kolom (10)",
        "baris 16, kolom kode_wilayah_instansi: kode wilayah 35.99 tidak ada dalam data wilayah",
        "baris 16, kolom kode_wilayah_kerja: kode wilayah 35.98 tidak ada dalam data wilayah",
    ]
    assert _nothing_written()


def test_it_refuses_a_row_that_matches_two_stored_subjects(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    for _ in range(2):
        Subject.objects.create(kind="village_official", full_name="Kartika", workplace_id="35.07")
    rows = [["", "Kartika", "Perangkat Desa", "", "", "", "", "", "35.07", ""]]

    assert _errors(_csv(tmp_path, rows)) == [
        "baris 2, kolom nama: ada 2 subjek tersimpan dengan nama, jenis dan instansi ini; "
        "tambahkan NIP atau NRP, atau gabungkan lewat admin"
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["nama", "jenis", "nipp", "kode_wilayah_kerja"],
            [
                "baris 1, kolom nipp: kolom tidak dikenal; kolom yang dikenal: nama, jenis, nip, "
                "nrp, jabatan, instansi, kode_wilayah_instansi, kode_wilayah_kerja, catatan"
            ],
        ),
        (
            ["nama", "NIP", "nip"],
            [
                "baris 1, kolom nip: kolom muncul lebih dari sekali",
                "baris 1, kolom jenis: kolom wajib tidak ada di baris judul",
                "baris 1, kolom kode_wilayah_kerja: kolom wajib tidak ada di baris judul",
            ],
        ),
    ],
)
def test_it_rejects_a_header_it_does_not_understand(
    regions: dict[str, Region], tmp_path: Path, header: list[str], expected: list[str]
) -> None:
    path = _csv(tmp_path, [["Ani"] * len(header)], header=header)

    assert _errors(path) == expected
    assert _nothing_written()


def test_it_reads_a_utf8_file_with_a_byte_order_mark(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    summary = roster_import(path=_csv(tmp_path, ROWS, bom=True))

    assert summary.subjects_created == 10


def test_it_reads_semicolon_separated_csv_from_indonesian_excel(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    summary = roster_import(path=_csv(tmp_path, ROWS, delimiter=";"))

    assert summary.subjects_created == 10


def test_it_rejects_a_latin1_file_naming_the_byte_and_the_row(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "nama,jenis,kode_wilayah_kerja\nAni,PNS,35.07\nAndr\xe9,PNS,35.07\n".encode("latin-1")
    )

    assert _errors(path) == [
        "baris 3: berkas bukan UTF-8: byte 0xE9 pada posisi 48 (baris 3) tidak sah; simpan ulang "
        'dari Excel sebagai "CSV UTF-8 (dibatasi koma)"'
    ]
    assert _nothing_written()


def test_it_rejects_a_utf16_file(regions: dict[str, Region], tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("nama,jenis\nAni,PNS\n".encode("utf-16"))

    assert _errors(path) == [
        "berkas berpengodean UTF-16 (Teks Unicode); simpan ulang sebagai CSV UTF-8"
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "daftar.xlsx",
            b"nama,jenis,kode_wilayah_kerja\nAni,PNS,35.07\n",
            "berkas .xlsx ini bukan buku kerja Excel: isinya teks (CSV?); ganti ekstensinya "
            "menjadi .csv atau simpan ulang sebagai .xlsx",
        ),
        (
            "daftar.xlsx",
            bytes(range(256)) * 4,
            "berkas .xlsx ini bukan buku kerja Excel (bukan arsip ZIP)",
        ),
        (
            "daftar.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "berkas ini buku kerja Excel lama (.xls); simpan ulang sebagai .xlsx",
        ),
        (
            "daftar.xlsx",
            b"PK\x03\x04 bukan arsip yang utuh",
            "berkas .xlsx ini rusak (arsip ZIP tidak utuh)",
        ),
        (
            "daftar.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "berkas berisi data biner, bukan teks CSV",
        ),
        (
            "daftar.xls",
            b"\xd0\xcf\x11\xe0",
            "format .xls lama tidak didukung; simpan sebagai .xlsx",
        ),
        (
            "daftar.ods",
            b"PK\x03\x04",
            "jenis berkas .ods tidak didukung; gunakan .csv atau .xlsx",
        ),
        ("kosong.csv", b"", "baris 1: baris pertama harus berisi judul kolom, tetapi kosong"),
        ("judul.csv", b"nama,jenis,kode_wilayah_kerja\r\n", "berkas tidak berisi baris data"),
    ],
)
def test_it_rejects_a_file_that_is_not_what_its_name_says(
    regions: dict[str, Region], tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    assert _errors(path) == [expected]
    assert _nothing_written()


def test_it_rejects_a_zip_that_is_not_a_workbook(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = tmp_path / "daftar.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    assert _errors(path) == ["berkas .xlsx ini arsip ZIP tetapi bukan buku kerja Excel"]


def test_it_rejects_a_damaged_workbook(regions: dict[str, Region], tmp_path: Path) -> None:
    path = tmp_path / "daftar.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "bukan xml <<")

    assert _errors(path) == ["buku kerja Excel ini tidak dapat dibaca (rusak atau tidak lengkap)"]


def test_it_rejects_a_workbook_saved_under_a_csv_name(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = tmp_path / "daftar.csv"
    path.write_bytes(_xlsx(tmp_path, [list(row) for row in ROWS]).read_bytes())

    assert _errors(path) == [
        "berkas .csv ini sebenarnya buku kerja Excel (.xlsx); ganti ekstensinya menjadi .xlsx "
        "atau simpan ulang sebagai CSV UTF-8"
    ]


def test_it_rejects_xlsx_numbers_that_lose_digits(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    rows: list[list[object]] = [list(ROWS[0]), list(ROWS[1])]
    rows[0][3] = 198501012010012001.0
    rows[1][8] = 35.07

    assert _errors(_xlsx(tmp_path, rows)) == [
        "baris 2, kolom nip: NIP tersimpan sebagai angka sehingga digitnya bisa berubah; format "
        "kolom sebagai Teks di Excel lalu ketik ulang",
        "baris 3, kolom kode_wilayah_kerja: kode wilayah tersimpan sebagai angka; format kolom "
        "sebagai Teks di Excel",
    ]


def test_it_caps_the_file_size(
    regions: dict[str, Region], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 100)
    path = _csv(tmp_path, ROWS)

    assert _errors(path) == [
        f"berkas berukuran {path.stat().st_size} byte, melebihi batas 100 byte (20 MB)"
    ]


def test_it_caps_the_number_of_rows(
    regions: dict[str, Region], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_ROWS", 9)

    assert _errors(_csv(tmp_path, ROWS)) == [
        "berkas berisi lebih dari 9 baris data; pecah menjadi beberapa berkas"
    ]
    assert _nothing_written()


def test_blank_rows_are_skipped_but_keep_their_spreadsheet_number(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    rows = [ROWS[0], [""] * 10, ["", "Ani", "Dosen", "", "", "", "", "", "35.07", ""]]

    assert _errors(_csv(tmp_path, rows)) == [
        "baris 4, kolom jenis: jenis Dosen tidak dikenal; gunakan PNS, PPPK, Kepala Desa, "
        "Perangkat Desa, BPD, TNI atau Polri"
    ]


def test_the_documented_example_imports_as_documented(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    doc = Path(__file__).parents[2] / "docs" / "registry-format.md"
    example = doc.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "daftar.csv"
    path.write_text(example, encoding="utf-8")

    summary = roster_import(path=path)

    assert (summary.rows_read, summary.subjects_created, summary.agencies_created) == (7, 7, 6)
