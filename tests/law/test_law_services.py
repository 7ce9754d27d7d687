"""The loader of the packaged regulation data: exact content, idempotency, staff edits, errors."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import models

from netra.core.models import Event
from netra.law.models import (
    Certainty,
    DeadlineRule,
    FormCode,
    Prohibition,
    Recipient,
    Regulation,
    SanctionLevel,
    SanctionMeasure,
    ViolationType,
)
from netra.law.services import DEFAULT_PATH, FieldDifference, LawDataError, law_load
from netra.staff.models import User

pytestmark = pytest.mark.django_db

EXPECTED_ROWS = {
    "regulations": 26,
    "sanction_levels": 5,
    "sanction_measures": 15,
    "violation_types": 13,
    "deadline_rules": 15,
    "recipients": 8,
    "form_codes": 4,
    "prohibitions": 13,
}
MODELS: list[type[models.Model]] = [
    Regulation,
    SanctionLevel,
    SanctionMeasure,
    ViolationType,
    DeadlineRule,
    Recipient,
    FormCode,
    Prohibition,
]
_PACKAGED: dict[str, Any] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def packaged() -> dict[str, Any]:
    """A fresh copy of the packaged file's content, to spoil one entry of."""
    return copy.deepcopy(_PACKAGED)


def written(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "law.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def nothing_stored() -> bool:
    return (
        all(model._default_manager.count() == 0 for model in MODELS) and not Event.objects.exists()
    )


# --- loading and idempotency ------------------------------------------------------------


def test_the_first_load_creates_every_row_of_the_packaged_file() -> None:
    summary = law_load()

    assert {name: c.created for name, c in summary.counts.items()} == EXPECTED_ROWS
    assert {name: c.unchanged for name, c in summary.counts.items()} == dict.fromkeys(
        EXPECTED_ROWS, 0
    )
    assert [model._default_manager.count() for model in MODELS] == list(EXPECTED_ROWS.values())
    assert summary.differences == []


def test_loading_twice_adds_and_changes_nothing_the_second_time() -> None:
    law_load()
    before = {m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS}

    summary = law_load()

    assert {name: c.created for name, c in summary.counts.items()} == dict.fromkeys(
        EXPECTED_ROWS, 0
    )
    assert {name: c.updated + c.differing for name, c in summary.counts.items()} == dict.fromkeys(
        EXPECTED_ROWS, 0
    )
    assert {name: c.unchanged for name, c in summary.counts.items()} == EXPECTED_ROWS
    assert {m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS} == before


def test_a_load_that_writes_records_one_law_loaded_event_with_its_counts() -> None:
    operator = User.objects.create_user(username="operator_regulasi", password=None)

    law_load(actor=operator)

    event = Event.objects.get(kind="law.loaded")
    assert event.actor == operator
    assert event.params["counts"]["violation_types"] == {
        "created": 13,
        "updated": 0,
        "unchanged": 0,
        "differing": 0,
    }
    assert event.params["overwrite"] is False
    assert event.params["source"] == DEFAULT_PATH.name == "law.yaml"
    assert event.params["differing"] == []
    assert event.params["overwritten"] == []


def test_a_load_that_changes_nothing_records_no_event() -> None:
    law_load()

    law_load()

    assert Event.objects.filter(kind="law.loaded").count() == 1


def test_a_dry_run_reports_the_counts_and_writes_nothing() -> None:
    summary = law_load(dry_run=True)

    assert summary.counts["violation_types"].created == 13
    assert nothing_stored()


# --- the content, as DOMAIN.md gives it ---------------------------------------------------


def test_the_catalogue_holds_exactly_n01_to_n13_with_both_tracks() -> None:
    law_load()
    rows = {
        v.code: v
        for v in ViolationType.objects.select_related(
            "ethics_level", "discipline_level", "regulation"
        )
    }

    tracks = {
        code: (
            v.ethics_level.code if v.ethics_level else None,
            v.discipline_level.code if v.discipline_level else None,
        )
        for code, v in rows.items()
    }
    assert tracks == {
        "N01": ("moral", "heavy"),
        "N02": ("moral", "heavy"),
        "N03": ("moral", "heavy"),
        "N04": ("moral", "heavy"),
        "N05": ("moral", "heavy"),
        "N06": ("moral", "medium"),
        "N07": ("moral", None),
        "N08": (None, "medium"),
        "N09": (None, "ptdh"),
        "N10": (None, "medium"),
        "N11": (None, "heavy"),
        "N12": (None, "heavy"),
        "N13": (None, "heavy"),
    }
    assert {code for code, v in rows.items() if v.social_media} == {"N02", "N04", "N05"}
    assert {code for code, v in rows.items() if v.certainty == Certainty.UNCONFIRMED} == {
        "N06",
        "N07",
    }
    assert {(v.regulation.slug, v.effective_from, v.effective_until) for v in rows.values()} == {
        ("skb-2022", dt.date(2022, 9, 22), None)
    }
    assert rows["N09"].behaviour == "Menjadi anggota dan/atau pengurus partai politik."
    assert rows["N04"].behaviour.startswith("Membuat unggahan, mengomentari, membagikan, menyukai")


def test_sanction_levels_carry_every_measure_of_the_domain_table() -> None:
    law_load()

    levels = {
        level.code: (level.track, level.rank, [m.code for m in level.measures.order_by("order")])
        for level in SanctionLevel.objects.all()
    }
    assert levels == {
        "moral": (
            "ethics",
            1,
            ["moral-closed-statement", "moral-open-statement", "moral-administrative-action"],
        ),
        "light": (
            "discipline",
            2,
            ["light-oral-warning", "light-written-warning", "light-written-dissatisfaction"],
        ),
        "medium": (
            "discipline",
            3,
            ["medium-tukin-cut-6m", "medium-tukin-cut-9m", "medium-tukin-cut-12m"],
        ),
        "heavy": (
            "discipline",
            4,
            [
                "heavy-demotion-12m",
                "heavy-release-to-executor-12m",
                "heavy-honourable-dismissal",
                "heavy-pppk-termination",
            ],
        ),
        "ptdh": ("discipline", 5, ["ptdh-pns", "ptdh-pppk"]),
    }
    pppk = SanctionMeasure.objects.select_related("regulation").get(code="ptdh-pppk")
    assert (pppk.regulation.slug, pppk.effective_from) == ("pp-49-2018", dt.date(2018, 11, 28))
    tukin = SanctionMeasure.objects.get(code="medium-tukin-cut-9m")
    assert tukin.name == "Pemotongan tunjangan kinerja 25% selama 9 bulan"


def test_every_unconfirmed_row_is_the_one_domain_marks_and_says_why() -> None:
    law_load()

    unconfirmed_rules = set(
        DeadlineRule.objects.filter(certainty=Certainty.UNCONFIRMED).values_list("regime", "step")
    )
    assert unconfirmed_rules == {
        ("pemilu", "ppk_decision"),
        ("pilkada", "ppk_decision"),
        ("pilkada", "initial_review"),
        ("pilkada", "temuan_plenary"),
    }
    unconfirmed_recipients = set(
        Recipient.objects.filter(certainty=Certainty.UNCONFIRMED).values_list("outcome", "regime")
    )
    assert unconfirmed_recipients == {
        ("administrative", "pilkada"),
        ("other_law_village", ""),
        ("other_law_tni_polri", ""),
    }
    bkn = Recipient.objects.get(code="bkn")
    assert (bkn.certainty, bkn.copy_to_certainty) == (Certainty.CONFIRMED, Certainty.UNCONFIRMED)
    assert bkn.copy_to == "Kementerian Dalam Negeri (untuk ASN instansi daerah)"
    for model in (SanctionLevel, SanctionMeasure, ViolationType, DeadlineRule, Recipient, FormCode):
        for row in model.objects.filter(certainty=Certainty.UNCONFIRMED):
            assert row.note.strip(), f"{model.__name__} {row} has no note"
    assert "3 hari" in DeadlineRule.objects.get(regime="pilkada", step="initial_review").note


def test_the_kasn_to_bkn_switch_is_two_versions_on_either_side_of_23_august_2024() -> None:
    law_load()

    rows = list(
        Recipient.objects.filter(outcome="other_law_asn")
        .order_by("effective_from")
        .values_list("code", "effective_from", "effective_until", "regulation__slug")
    )
    assert rows == [
        ("kasn", dt.date(2014, 1, 15), dt.date(2024, 8, 22), "uu-5-2014"),
        ("bkn", dt.date(2024, 8, 23), None, "perpres-92-2024"),
    ]


# --- staff edits ----------------------------------------------------------------------------


def test_a_staff_edit_is_kept_and_reported_when_the_file_is_loaded_again() -> None:
    law_load()
    DeadlineRule.objects.filter(regime="pemilu", step="file_report").update(duration=10)

    summary = law_load()

    rule = DeadlineRule.objects.get(regime="pemilu", step="file_report")
    assert rule.duration == 10
    counts = summary.counts["deadline_rules"]
    assert (counts.created, counts.updated, counts.unchanged, counts.differing) == (0, 0, 14, 1)
    [difference] = summary.differences
    assert (difference.section, difference.where, difference.row, difference.overwritten) == (
        "deadline_rules",
        "deadline_rules[0]",
        "pemilu/file_report 2017-08-16",
        False,
    )
    assert difference.fields == (
        FieldDifference(name="duration", label="lama", database="10", file="7"),
    )
    # Nothing was written, so the load left no event; the summary is the report.
    assert Event.objects.filter(kind="law.loaded").count() == 1


def test_overwrite_puts_the_file_values_back_over_a_staff_edit() -> None:
    law_load()
    Recipient.objects.filter(code="bkn").update(copy_to="", note="diubah staf")

    summary = law_load(overwrite=True)

    bkn = Recipient.objects.get(code="bkn")
    assert bkn.copy_to == "Kementerian Dalam Negeri (untuk ASN instansi daerah)"
    assert bkn.note.startswith("BKN menangani kode etik dan netralitas ASN")
    counts = summary.counts["recipients"]
    assert (counts.created, counts.updated, counts.unchanged, counts.differing) == (0, 1, 7, 0)
    [difference] = summary.differences
    assert difference.overwritten is True
    assert [f.name for f in difference.fields] == ["note", "copy_to"]
    event = Event.objects.filter(kind="law.loaded").order_by("-at", "-id")[0]
    assert event.params["counts"]["recipients"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 7,
        "differing": 0,
    }
    assert event.params["overwrite"] is True
    assert event.params["overwritten"] == ["recipients:other_law_asn/* 2024-08-23"]


def test_a_version_that_staff_added_is_left_alone() -> None:
    law_load()
    regulation = Regulation.objects.get(slug="uu-7-2017")
    DeadlineRule.objects.create(
        regulation=regulation,
        effective_from=dt.date(2026, 1, 1),
        regime="pemilu",
        step="file_report",
        duration=5,
        unit="working_days",
        starts_from="diketahuinya dugaan pelanggaran",
    )

    summary = law_load(overwrite=True)

    assert DeadlineRule.objects.filter(regime="pemilu", step="file_report").count() == 2
    assert summary.counts["deadline_rules"].unchanged == 15
    assert summary.differences == []


def test_a_missing_row_is_recreated_without_touching_the_others() -> None:
    law_load()
    FormCode.objects.filter(code="B.2").delete()

    summary = law_load()

    assert FormCode.objects.filter(code="B.2").count() == 1
    counts = summary.counts["form_codes"]
    assert (counts.created, counts.unchanged) == (1, 3)


# --- errors: named by YAML path, nothing written -------------------------------------------


def test_an_unknown_level_is_named_by_its_yaml_path_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    data = packaged()
    data["violation_types"][3]["ethics_level"] = "morall"
    path = written(tmp_path, data)

    with pytest.raises(LawDataError) as caught:
        law_load(path=path)

    assert [(p.where, p.message) for p in caught.value.problems] == [
        ("violation_types[3].ethics_level", "tidak dikenal 'morall'")
    ]
    assert str(caught.value) == f"{path}: violation_types[3].ethics_level: tidak dikenal 'morall'"
    assert nothing_stored()


def test_schema_errors_name_every_bad_entry_at_once(tmp_path: Path) -> None:
    data = packaged()
    data["violation_types"][0]["effective_from"] = "2022-13-01"
    data["violation_types"][1]["social_media"] = "mungkin"
    data["deadline_rules"][0]["regime"] = "pemiluu"
    data["deadline_rules"][1]["duration"] = "tujuh"
    del data["recipients"][0]["body"]
    data["form_codes"][0]["colour"] = "merah"

    with pytest.raises(LawDataError) as caught:
        law_load(path=written(tmp_path, data))

    assert [(p.where, p.message) for p in caught.value.problems] == [
        (
            "violation_types[0].effective_from",
            "harus berupa tanggal TTTT-BB-HH, bukan '2022-13-01'",
        ),
        ("violation_types[1].social_media", "harus true atau false, bukan 'mungkin'"),
        ("deadline_rules[0].regime", "tidak dikenal 'pemiluu' (pilihan: pemilu, pilkada)"),
        ("deadline_rules[1].duration", "harus berupa bilangan bulat, bukan 'tujuh'"),
        ("recipients[0].body", "wajib diisi"),
        ("form_codes[0].colour", "kolom tidak dikenal"),
    ]
    assert nothing_stored()


@pytest.mark.parametrize(
    ("spoil", "where", "message"),
    [
        (
            lambda d: d["deadline_rules"][2].update(regulation="uu-7-2071"),
            "deadline_rules[2].regulation",
            "tidak dikenal 'uu-7-2071'",
        ),
        (
            lambda d: d["recipients"][4].update(effective_until=dt.date(2010, 1, 1)),
            "recipients[4].effective_until",
            "Tanggal berlaku sampai tidak boleh sebelum tanggal berlaku sejak (2014-01-15).",
        ),
        (
            lambda d: d["violation_types"][0].update(ethics_level="heavy"),
            "violation_types[0].ethics_level",
            "Tingkat heavy bukan tingkat jalur Etik.",
        ),
        (
            lambda d: d["violation_types"][8].update(effective_from=dt.date(2010, 1, 1)),
            "violation_types[8].discipline_level",
            "tingkat 'ptdh' tidak berlaku pada 2010-01-01",
        ),
        (
            lambda d: d["deadline_rules"].append(dict(d["deadline_rules"][0])),
            "deadline_rules[15]",
            "kunci ganda: sama dengan deadline_rules[0]",
        ),
        (
            lambda d: d["sanction_levels"][1]["measures"][0].update(
                effective_from=dt.date(2020, 1, 1)
            ),
            "sanction_levels[1].measures[0].effective_from",
            "sebelum tingkatnya berlaku (2021-08-31)",
        ),
        (
            lambda d: d["violation_types"][9].update(discipline_level=None),
            "violation_types[9].discipline_level",
            "Isi sanksi etik atau sanksi disiplin.",
        ),
    ],
    ids=[
        "unknown-regulation",
        "period-reversed",
        "level-of-wrong-track",
        "level-not-yet-in-force",
        "duplicate-key",
        "measure-before-its-level",
        "no-track-at-all",
    ],
)
def test_a_bad_reference_is_named_by_its_yaml_path(
    tmp_path: Path, spoil: Any, where: str, message: str
) -> None:
    data = packaged()
    spoil(data)

    with pytest.raises(LawDataError) as caught:
        law_load(path=written(tmp_path, data))

    assert [(p.where, p.message) for p in caught.value.problems] == [(where, message)]
    assert nothing_stored()


def test_a_broken_yaml_file_is_reported_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "rusak.yaml"
    path.write_text("regulations:\n  - slug: a\n    title: [tidak ditutup\n", encoding="utf-8")

    with pytest.raises(LawDataError) as caught:
        law_load(path=path)

    [problem] = caught.value.problems
    assert problem.where == "baris 4, kolom 1"
    # The reason is libyaml's or PyYAML's own wording, whichever parsed the file.
    assert problem.message.startswith("YAML tidak sah: ")
    assert "expected ',' or ']'" in problem.message
    assert nothing_stored()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", "berkas", "berkas kosong"),
        ("- a\n", "(akar berkas)", "harus berupa pemetaan kunci: nilai, bukan ['a']"),
        ("violaton_types: []\n", "violaton_types", "kolom tidak dikenal"),
    ],
    ids=["empty", "not-a-mapping", "misspelt-section"],
)
def test_a_file_of_the_wrong_shape_is_refused(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "law.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(LawDataError) as caught:
        law_load(path=path)

    assert [(p.where, p.message) for p in caught.value.problems] == [(where, message)]


def test_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "tidak-ada.yaml"

    with pytest.raises(LawDataError) as caught:
        law_load(path=path)

    assert str(caught.value) == f"{path}: berkas: tidak dapat dibaca: No such file or directory"
