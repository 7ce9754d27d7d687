from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netra.cli import _resolve

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["regions", "import", "f.csv"], ["regions_import", "f.csv"]),
        (["demo", "totp", "demo_analis"], ["demo_totp", "demo_analis"]),
        (["demo", "--no-serve"], ["demo", "--no-serve"]),
        (["migrate", "--plan"], ["migrate", "--plan"]),
        ([], []),
    ],
)
def test_grouped_names_map_to_management_commands(argv: list[str], expected: list[str]) -> None:
    known = {"regions_import", "demo", "demo_totp", "migrate"}
    assert _resolve(argv, known) == expected


def test_the_console_command_runs_a_grouped_command_end_to_end(tmp_path: Path) -> None:
    csv = tmp_path / "wilayah.csv"
    csv.write_text("code,name,level\n35,Jawa Timur,province\n")
    env = {**os.environ, "NETRA_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    netra = Path(sys.executable).parent / "netra"
    subprocess.run([netra, "migrate", "-v0"], env=env, check=True, timeout=120)  # noqa: S603
    result = subprocess.run(  # noqa: S603
        [netra, "regions", "import", str(csv)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 baris dibaca: 1 baru, 0 diperbarui, 0 tetap")
    assert (tmp_path / "var" / "netra.sqlite3").exists()
