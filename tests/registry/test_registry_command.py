"""``netra registry import FILE`` prints the counts, or every bad row and exits non-zero."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from netra.cli import _resolve
from netra.core.models import Event
from netra.geo.models import Region
from netra.registry.models import Subject
from netra.staff.models import User

pytestmark = pytest.mark.django_db

GOOD = (
    "nama,jenis,nip,instansi,kode_wilayah_instansi,kode_wilayah_kerja\r\n"
    "Siti Rahmawati,PNS,198501012010012001,SD Negeri 1 Tulungrejo,35.07.01,35.07.01.2001\r\n"
    "Agus Salim Wijaya,Kepala Desa,,Pemerintah Desa Tulungrejo,35.07.01.2001,35.07.01.2001\r\n"
)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "daftar.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_prints_the_counts_of_the_import(
    regions: dict[str, Region], personas: dict[str, User | None], tmp_path: Path
) -> None:
    out = StringIO()

    call_command("registry_import", str(_file(tmp_path, GOOD)), "--actor", "ri_admin", stdout=out)

    line = out.getvalue().strip()
    assert line.startswith(
        "daftar.csv: 2 baris dibaca. Subjek: 2 baru, 0 diperbarui, 0 tidak berubah. "
        "Instansi baru: 2. SHA-256 "
    )
    assert Event.objects.get(kind="registry.roster_imported").actor == personas["ri_admin"]


def test_it_lists_every_bad_row_and_fails(regions: dict[str, Region], tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        GOOD + "Budi,TNI,198501012010012009,,,35.07\r\nCitra,Guru,,,,35.99\r\n",
    )
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("registry_import", str(path), stdout=StringIO(), stderr=err)

    assert str(caught.value) == (
        "daftar.csv tidak dapat diimpor: 3 kesalahan. Tidak ada data yang ditulis."
    )
    assert err.getvalue().splitlines() == [
        f"{path}: baris 4, kolom nip: NIP hanya untuk PNS dan PPPK, bukan TNI",
        f"{path}: baris 5, kolom jenis: jenis Guru tidak dikenal; gunakan PNS, PPPK, Kepala Desa, "
        "Perangkat Desa, BPD, TNI atau Polri",
        f"{path}: baris 5, kolom kode_wilayah_kerja: kode wilayah 35.99 tidak ada dalam data "
        "wilayah",
    ]
    assert Subject.objects.count() == 0


def test_the_netra_console_knows_it_as_registry_import() -> None:
    # The console end to end is tested in tests/config; here: the grouped name resolves.
    assert _resolve(["registry", "import", "f.csv"], set(get_commands())) == [
        "registry_import",
        "f.csv",
    ]
