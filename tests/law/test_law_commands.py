"""``netra law load``: the summary in Indonesian, staff edits reported, bad files refused."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands

from netra.cli import _resolve
from netra.law.models import DeadlineRule, Regulation
from netra.law.services import DEFAULT_PATH

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("law_load", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_indonesian_line_per_table() -> None:
    output = run()

    assert output.splitlines() == [
        f"Sumber: {DEFAULT_PATH}",
        "regulasi: 26 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "tingkat sanksi: 5 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "bentuk sanksi: 15 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "katalog pelanggaran: 13 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "aturan tenggat: 15 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "penerima rekomendasi: 8 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "kode formulir: 4 baru, 0 ditimpa, 0 tetap, 0 berbeda",
        "larangan menurut subjek: 13 baru, 0 ditimpa, 0 tetap, 0 berbeda",
    ]


def test_it_lists_a_staff_edit_it_did_not_overwrite() -> None:
    run()
    DeadlineRule.objects.filter(regime="pilkada", step="handling").update(duration=5)

    output = run()

    assert DeadlineRule.objects.get(regime="pilkada", step="handling").duration == 5
    assert output.splitlines()[5:] == [
        "aturan tenggat: 0 baru, 0 ditimpa, 14 tetap, 1 berbeda",
        "penerima rekomendasi: 0 baru, 0 ditimpa, 8 tetap, 0 berbeda",
        "kode formulir: 0 baru, 0 ditimpa, 4 tetap, 0 berbeda",
        "larangan menurut subjek: 0 baru, 0 ditimpa, 13 tetap, 0 berbeda",
        "1 baris berbeda dari berkas dan TIDAK ditimpa (mungkin suntingan staf; "
        "jalankan dengan --overwrite untuk menimpanya):",
        "  aturan tenggat pilkada/handling 2015-02-02 (deadline_rules[12])",
        "    lama: basis data 5, berkas 3",
    ]


def test_overwrite_restores_the_file_and_says_so() -> None:
    run()
    DeadlineRule.objects.filter(regime="pilkada", step="handling").update(duration=5)

    output = run("--overwrite")

    assert DeadlineRule.objects.get(regime="pilkada", step="handling").duration == 3
    assert output.splitlines()[5:] == [
        "aturan tenggat: 0 baru, 1 ditimpa, 14 tetap, 0 berbeda",
        "penerima rekomendasi: 0 baru, 0 ditimpa, 8 tetap, 0 berbeda",
        "kode formulir: 0 baru, 0 ditimpa, 4 tetap, 0 berbeda",
        "larangan menurut subjek: 0 baru, 0 ditimpa, 13 tetap, 0 berbeda",
        "Ditimpa dengan isi berkas:",
        "  aturan tenggat pilkada/handling 2015-02-02 (deadline_rules[12])",
        "    lama: basis data 5, berkas 3",
    ]


def test_a_dry_run_says_nothing_was_saved() -> None:
    output = run("--dry-run")

    assert output.splitlines()[-1] == "Uji coba: tidak ada yang disimpan."
    assert Regulation.objects.count() == 0


def test_a_bad_file_fails_with_every_problem_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "law.yaml"
    path.write_text(
        "regulations:\n"
        "  - slug: uu-7-2017\n"
        "    title: Undang-Undang tentang Pemilihan Umum\n"
        "deadline_rules:\n"
        "  - regime: pemilu\n"
        "    step: file_report\n"
        "    duration: 7\n"
        "    unit: working_dayz\n"
        "    starts_from: diketahuinya dugaan pelanggaran\n"
        "    regulation: uu-7-2017\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as caught:
        run(str(path))

    assert str(caught.value).splitlines() == [
        "Data regulasi tidak dimuat; tidak ada yang disimpan.",
        f"  {path}: deadline_rules[0].effective_from: wajib diisi",
        f"  {path}: deadline_rules[0].unit: tidak dikenal 'working_dayz' "
        "(pilihan: working_days, calendar_days, hours)",
    ]
    assert Regulation.objects.count() == 0


def test_netra_law_load_is_the_law_load_command() -> None:
    # Only the name mapping: running the console entry point itself would close the test's
    # database connection (Django's run_from_argv does), which PostgreSQL does not forgive.
    assert _resolve(["law", "load", "--overwrite"], set(get_commands())) == [
        "law_load",
        "--overwrite",
    ]
