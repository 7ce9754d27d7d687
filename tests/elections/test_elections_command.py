"""``netra elections import FILE`` prints an Indonesian summary or every error."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from netra.cli import _resolve
from netra.core.models import Event
from netra.elections.models import Election
from netra.geo.models import Region
from netra.staff.models import User

DATA = Path(__file__).parent / "data"
YAML_FILE = DATA / "pilkada-2024-malang.yaml"

pytestmark = pytest.mark.django_db


def test_it_prints_what_it_did_per_election_and_in_total(regions: dict[str, Region]) -> None:
    out = StringIO()

    call_command("elections_import", str(YAML_FILE), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "pilkada-2024-kab-malang (Pemilihan Bupati dan Wakil Bupati Malang 2024): dibuat. "
        "Tahapan: 7 baru, 0 diubah, 0 tetap. Calon: 3 baru, 0 diubah, 0 tetap. "
        "Akun resmi: 3 baru, 0 diubah, 0 tetap.",
        "pilkada-2024-kota-malang (Pemilihan Wali Kota dan Wakil Wali Kota Malang 2024): dibuat. "
        "Tahapan: 2 baru, 0 diubah, 0 tetap. Calon: 2 baru, 0 diubah, 0 tetap. "
        "Akun resmi: 0 baru, 0 diubah, 0 tetap.",
    ]
    assert lines[2].startswith(
        "pilkada-2024-malang.yaml: 2 pemilihan (2 dibuat, 0 diperbarui, 0 tidak berubah). SHA-256 "
    )
    assert len(lines) == 3


def test_it_records_the_named_actor(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    call_command("elections_import", str(YAML_FILE), "--actor", "ri_admin", stdout=StringIO())

    assert {e.actor for e in Event.objects.filter(kind="elections.election_created")} == {
        personas["ri_admin"]
    }


def test_it_fails_with_every_error_and_writes_nothing(
    regions: dict[str, Region], tmp_path: Path
) -> None:
    path = tmp_path / "salah.yaml"
    path.write_text(
        YAML_FILE.read_text(encoding="utf-8")
        .replace('region: "35.73"', 'region: "35.99"')
        .replace("number: 3", "number: 2"),
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("elections_import", str(path), stdout=StringIO(), stderr=err)

    assert str(caught.value) == (
        "salah.yaml tidak dapat diimpor: 2 kesalahan. Tidak ada data yang ditulis."
    )
    assert err.getvalue().splitlines() == [
        f"{path}: elections[0].candidates[2].number: nomor urut 2 sudah dipakai oleh "
        "elections[0].candidates[1]",
        f"{path}: elections[1].region: kode wilayah 35.99 tidak ada dalam data wilayah",
    ]
    assert Election.objects.count() == 0


def test_it_says_so_when_the_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("elections_import", str(tmp_path / "tidak-ada.yaml"))

    assert str(caught.value) == f"Berkas tidak ditemukan: {tmp_path / 'tidak-ada.yaml'}"


def test_the_netra_console_knows_it_as_elections_import() -> None:
    # The console end to end is tested in tests/config; here: the grouped name resolves.
    assert _resolve(["elections", "import", "f.yaml"], set(get_commands())) == [
        "elections_import",
        "f.yaml",
    ]
