from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from netra.core.models import Event
from netra.geo.models import Level, Region
from netra.geo.services import RegionImportError, regions_import
from tests.conftest import shared_file

DEMO_SLICE = Path(__file__).resolve().parents[2] / "netra/demo/data/regions-kab-malang.csv"


def write(tmp_path: Path, text: str, name: str = "wilayah.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


GOOD = (
    "code,name,level\n"
    "35,Jawa Timur,province\n"
    "35.07,Kabupaten Malang,regency\n"
    "35.07.01,Donomulyo,district\n"
    "35.07.01.2001,Tulungrejo,village\n"
    '35.73,"Kota Malang, Kota",regency\n'
)


@pytest.mark.django_db
def test_it_imports_regions_with_parents_levels_and_quoted_names(tmp_path: Path) -> None:
    summary = regions_import(path=write(tmp_path, GOOD))

    assert (summary.read, summary.created, summary.updated, summary.unchanged) == (5, 5, 0, 0)
    village = Region.objects.get(code="35.07.01.2001")
    assert (village.name, village.level, village.parent_id) == (
        "Tulungrejo",
        Level.VILLAGE,
        "35.07.01",
    )
    assert village.village_kind == "desa"
    assert Region.objects.get(code="35.73").name == "Kota Malang, Kota"
    assert Region.objects.get(code="35").parent_id is None
    event = Event.objects.get(kind="geo.regions_imported")
    assert event.params["created"] == 5
    assert event.params["sha256"] == summary.sha256


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_a_renamed_region_is_updated(tmp_path: Path) -> None:
    regions_import(path=write(tmp_path, GOOD))
    again = regions_import(path=write(tmp_path, GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Event.objects.filter(kind="geo.regions_imported").count() == 1

    renamed = regions_import(path=write(tmp_path, GOOD.replace("Donomulyo", "Donomulya")))
    assert (renamed.created, renamed.updated, renamed.unchanged) == (0, 1, 4)
    assert Region.objects.get(code="35.07.01").name == "Donomulya"


@pytest.mark.django_db
def test_regions_missing_from_a_later_file_are_kept_and_counted(tmp_path: Path) -> None:
    regions_import(path=write(tmp_path, GOOD))
    smaller = "code,name,level\n35,Jawa Timur,province\n"
    summary = regions_import(path=write(tmp_path, smaller))
    assert summary.not_in_file == 4
    assert Region.objects.count() == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kode,nama,tingkat\n35,Jawa Timur,province\n",
            "baris 1, kolom -: kepala kolom harus code,name,level, ditemukan kode,nama,tingkat",
        ),
        (
            "code,name,level\n35.7,Malang,regency\n",
            "baris 2, kolom code: kode '35.7' tidak sesuai format PP.KK.CC.DDDD",
        ),
        (
            "code,name,level\n35,Jawa Timur,regency\n",
            "baris 2, kolom level: tingkat 'regency' tidak cocok dengan kode 35 "
            "(seharusnya province)",
        ),
        (
            "code,name,level\n35.07,Kabupaten Malang,regency\n",
            "baris 2, kolom code: induk 35 tidak ada di berkas maupun basis data",
        ),
        ("code,name,level\n35,,province\n", "baris 2, kolom name: nama kosong"),
        ("code,name,level\n35,Jawa Timur\n", "baris 2, kolom -: harus 3 kolom, ditemukan 2"),
        (
            "code,name,level\n35,Jawa Timur,province\n35,Jawa Timur,province\n",
            "baris 3, kolom code: kode 35 berulang",
        ),
        ("", "baris 1, kolom -: berkas kosong"),
    ],
)
@pytest.mark.django_db
def test_a_bad_row_refuses_the_whole_file_naming_line_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    good_then_bad = text
    with pytest.raises(RegionImportError) as caught:
        regions_import(path=write(tmp_path, good_then_bad))
    assert [str(e) for e in caught.value.errors] == [expected]
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "code,name,level\n35,Jawa Timur,province\n35.07,Kabupaten Malàng,regency\n",
        encoding="latin-1",
    )
    with pytest.raises(RegionImportError) as caught:
        regions_import(path=path)
    assert [str(e) for e in caught.value.errors] == [
        "baris 3, kolom -: bukan teks UTF-8 (byte ke-58)"
    ]
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    summary = regions_import(path=write(tmp_path, "\ufeff" + GOOD))
    assert summary.created == 5


@pytest.mark.django_db
def test_the_command_reports_every_bad_row_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "code,name,level\n35,,province\n36,Jawa X,district\n")
    with pytest.raises(CommandError, match="2 kesalahan, tidak ada yang disimpan"):
        call_command("regions_import", str(path))
    err = capsys.readouterr().err
    assert "baris 2, kolom name: nama kosong" in err
    assert "baris 3, kolom level" in err


@pytest.mark.django_db
def test_the_demo_slice_of_kab_malang_imports(tmp_path: Path) -> None:
    summary = regions_import(path=DEMO_SLICE)
    assert summary.by_level == {"province": 1, "regency": 4, "district": 33, "village": 390}


@pytest.mark.shared
@pytest.mark.django_db
def test_it_imports_the_full_official_list_idempotently() -> None:
    path = shared_file("regions/kemendagri-2025.csv")
    summary = regions_import(path=path)
    assert summary.read == 91599
    assert summary.by_level == {
        "province": 38,
        "regency": 514,
        "district": 7285,
        "village": 83762,
    }
    assert Region.objects.get(code="35.07").name == "Kabupaten Malang"
    assert Region.objects.filter(code__startswith="35.07.", level=Level.DISTRICT).count() == 33
    again = regions_import(path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 91599)


@pytest.mark.django_db
def test_errors_name_the_file_line_even_after_blank_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path, "code,name,level\n\n35,Jawa Timur,province\n\n35.07.99,Hilang,district\n"
    )
    with pytest.raises(RegionImportError) as caught:
        regions_import(path=path)
    assert [str(e) for e in caught.value.errors] == [
        "baris 5, kolom code: induk 35.07 tidak ada di berkas maupun basis data"
    ]


def test_the_command_records_the_named_actor_and_refuses_an_unknown_one(
    tmp_path: Path, personas: dict[str, object]
) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(CommandError, match="Pengguna tidak ditemukan: siapa"):
        call_command("regions_import", str(path), "--actor", "siapa")
    call_command("regions_import", str(path), "--actor", "ri_admin")
    event = Event.objects.filter(kind="geo.regions_imported").latest("id")
    assert event.actor == personas["ri_admin"]
