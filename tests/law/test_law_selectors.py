"""Which rule was in force on a date: deadlines, recipients, form codes, the catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from netra.law.models import (
    Certainty,
    DeadlineRule,
    Recipient,
    Regulation,
    ViolationType,
)
from netra.law.selectors import (
    LawRuleMissing,
    Period,
    deadline_rule,
    form_code,
    law_catalogue,
    prohibitions_in_force,
    recipient_for,
    sanction_levels_in_force,
    violation_types_in_force,
)
from netra.law.services import law_load

PEMILU_2024_CAMPAIGN = dt.date(2024, 1, 10)
PILKADA_2024_CAMPAIGN = dt.date(2024, 10, 10)


@pytest.fixture
def loaded(db: None) -> None:
    law_load()


# --- recipients -----------------------------------------------------------------------------


@pytest.mark.parametrize("regime", ["pemilu", "pilkada"])
@pytest.mark.parametrize(
    ("on", "code"),
    [
        (dt.date(2024, 6, 1), "kasn"),
        (dt.date(2024, 8, 22), "kasn"),
        (dt.date(2024, 8, 23), "bkn"),
        (dt.date(2024, 12, 1), "bkn"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_asn_neutrality_cases_go_to_kasn_until_august_2024_and_to_bkn_after(
    regime: str, on: dt.date, code: str
) -> None:
    assert recipient_for(outcome="other_law_asn", regime=regime, on=on).code == code


@pytest.mark.usefixtures("loaded")
def test_the_bkn_recipient_carries_the_unconfirmed_copy_to_kemendagri() -> None:
    bkn = recipient_for(outcome="other_law_asn", regime="pilkada", on=dt.date(2024, 12, 1))

    assert bkn.body == "Badan Kepegawaian Negara (BKN), Deputi Bidang Pengawasan dan Pengendalian"
    assert bkn.copy_to == "Kementerian Dalam Negeri (untuk ASN instansi daerah)"
    assert bkn.copy_to_certainty == Certainty.UNCONFIRMED


@pytest.mark.usefixtures("loaded")
def test_a_regime_specific_recipient_wins_over_one_for_both_regimes() -> None:
    # A both-regimes row for administrative violations must lose to the regime rows ...
    Recipient.objects.create(
        regulation=Regulation.objects.get(slug="uu-7-2017"),
        effective_from=dt.date(2020, 1, 1),
        outcome="administrative",
        regime="",
        code="umum",
        body="Lembaga umum",
    )
    # ... and a Pilkada row for crimes wins over the both-regimes Gakkumdu row.
    Recipient.objects.create(
        regulation=Regulation.objects.get(slug="uu-10-2016"),
        effective_from=dt.date(2020, 1, 1),
        outcome="crime",
        regime="pilkada",
        code="gakkumdu-pemilihan",
        body="Sentra Gakkumdu Pemilihan",
    )
    on = dt.date(2024, 10, 10)

    assert recipient_for(outcome="administrative", regime="pemilu", on=on).code == "bawaslu"
    assert recipient_for(outcome="administrative", regime="pilkada", on=on).code == "kpu"
    assert recipient_for(outcome="crime", regime="pemilu", on=on).code == "gakkumdu"
    assert recipient_for(outcome="crime", regime="pilkada", on=on).code == "gakkumdu-pemilihan"
    assert recipient_for(outcome="organiser_ethics", regime="pilkada", on=on).code == "dkpp"


@pytest.mark.usefixtures("loaded")
def test_no_recipient_in_force_raises_a_clear_error() -> None:
    with pytest.raises(LawRuleMissing) as caught:
        recipient_for(outcome="other_law_asn", regime="pemilu", on=dt.date(2010, 1, 1))

    assert str(caught.value) == (
        "Tidak ada penerima untuk Pelanggaran hukum lainnya: netralitas ASN (Pemilu) "
        "yang berlaku pada 2010-01-01."
    )


# --- deadline rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "step", "on", "duration", "unit", "certainty"),
    [
        ("pemilu", "file_report", PEMILU_2024_CAMPAIGN, 7, "working_days", "confirmed"),
        ("pemilu", "quiet_period_intake", dt.date(2024, 2, 12), 24, "hours", "confirmed"),
        ("pemilu", "temuan_plenary", PEMILU_2024_CAMPAIGN, 7, "working_days", "confirmed"),
        ("pemilu", "initial_review", PEMILU_2024_CAMPAIGN, 2, "working_days", "confirmed"),
        ("pemilu", "completion_notice", PEMILU_2024_CAMPAIGN, 1, "working_days", "confirmed"),
        ("pemilu", "completion_fix", PEMILU_2024_CAMPAIGN, 3, "working_days", "confirmed"),
        ("pemilu", "handling", PEMILU_2024_CAMPAIGN, 7, "working_days", "confirmed"),
        ("pemilu", "handling_extension", PEMILU_2024_CAMPAIGN, 7, "working_days", "confirmed"),
        ("pemilu", "ppk_decision", PEMILU_2024_CAMPAIGN, 10, "working_days", "unconfirmed"),
        ("pilkada", "file_report", PILKADA_2024_CAMPAIGN, 7, "calendar_days", "confirmed"),
        ("pilkada", "temuan_plenary", PILKADA_2024_CAMPAIGN, 7, "calendar_days", "unconfirmed"),
        ("pilkada", "initial_review", PILKADA_2024_CAMPAIGN, 2, "calendar_days", "unconfirmed"),
        ("pilkada", "handling", PILKADA_2024_CAMPAIGN, 3, "calendar_days", "confirmed"),
        ("pilkada", "handling_extension", PILKADA_2024_CAMPAIGN, 2, "calendar_days", "confirmed"),
        ("pilkada", "ppk_decision", PILKADA_2024_CAMPAIGN, 10, "calendar_days", "unconfirmed"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_each_deadline_rule_has_the_value_and_unit_of_domain(
    regime: str, step: str, on: dt.date, duration: int, unit: str, certainty: str
) -> None:
    rule = deadline_rule(regime=regime, step=step, on=on)

    assert (rule.duration, rule.unit, rule.certainty) == (duration, unit, certainty)


@pytest.mark.usefixtures("loaded")
def test_a_step_domain_leaves_open_has_no_rule_and_says_so() -> None:
    with pytest.raises(LawRuleMissing) as caught:
        deadline_rule(regime="pilkada", step="completion_notice", on=PILKADA_2024_CAMPAIGN)

    assert str(caught.value) == (
        "Tidak ada aturan tenggat Pemilihan (Pilkada) untuk tahap Pemberitahuan kelengkapan "
        "yang berlaku pada 2024-10-10. Tambahkan di admin Regulasi › Aturan tenggat."
    )


@pytest.mark.usefixtures("loaded")
def test_a_rule_does_not_apply_before_it_took_effect() -> None:
    assert deadline_rule(regime="pemilu", step="file_report", on=dt.date(2017, 8, 16)).duration == 7
    with pytest.raises(LawRuleMissing):
        deadline_rule(regime="pemilu", step="file_report", on=dt.date(2017, 8, 15))
    with pytest.raises(LawRuleMissing):
        deadline_rule(regime="pemilu", step="initial_review", on=dt.date(2021, 12, 31))


@pytest.mark.usefixtures("loaded")
def test_a_newer_version_of_a_rule_wins_from_the_day_it_takes_effect() -> None:
    DeadlineRule.objects.create(
        regulation=Regulation.objects.get(slug="uu-7-2017"),
        effective_from=dt.date(2026, 1, 1),
        regime="pemilu",
        step="file_report",
        duration=5,
        unit="working_days",
        starts_from="diketahuinya dugaan pelanggaran",
    )

    assert (
        deadline_rule(regime="pemilu", step="file_report", on=dt.date(2025, 12, 31)).duration == 7
    )
    assert deadline_rule(regime="pemilu", step="file_report", on=dt.date(2026, 1, 1)).duration == 5


# --- form codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "regime", "on", "code"),
    [
        ("supervision_report", "pemilu", PEMILU_2024_CAMPAIGN, "A"),
        ("supervision_report", "pilkada", PILKADA_2024_CAMPAIGN, "A"),
        ("report", "pemilu", PEMILU_2024_CAMPAIGN, "B.1"),
        ("report", "pilkada", PILKADA_2024_CAMPAIGN, "A.1"),
        ("temuan", "pemilu", dt.date(2019, 4, 17), "B.2"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_form_codes_follow_regime_and_date(
    purpose: str, regime: str, on: dt.date, code: str
) -> None:
    assert form_code(purpose=purpose, regime=regime, on=on).code == code


@pytest.mark.usefixtures("loaded")
def test_the_temuan_form_of_perbawaslu_7_2018_is_not_offered_after_it_was_replaced() -> None:
    with pytest.raises(LawRuleMissing) as caught:
        form_code(purpose="temuan", regime="pemilu", on=PEMILU_2024_CAMPAIGN)

    assert str(caught.value) == (
        "Tidak ada kode formulir Formulir temuan (Pemilu) yang berlaku pada 2024-01-10."
    )


# --- catalogue and sanction scales over time ------------------------------------------------


@pytest.mark.usefixtures("loaded")
def test_the_catalogue_is_in_force_from_the_day_the_skb_was_signed() -> None:
    assert list(violation_types_in_force(on=dt.date(2022, 9, 21))) == []
    assert [v.code for v in violation_types_in_force(on=dt.date(2022, 9, 22))] == [
        f"N{i:02d}" for i in range(1, 14)
    ]


@pytest.mark.usefixtures("loaded")
def test_a_row_with_an_end_date_is_in_force_through_that_day_only() -> None:
    ViolationType.objects.filter(code="N01").update(effective_until=dt.date(2023, 12, 31))

    assert "N01" in {v.code for v in violation_types_in_force(on=dt.date(2023, 12, 31))}
    assert "N01" not in {v.code for v in violation_types_in_force(on=dt.date(2024, 1, 1))}
    assert violation_types_in_force(on=dt.date(2024, 1, 1)).count() == 12


@pytest.mark.usefixtures("loaded")
def test_the_catalogue_and_its_levels_come_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(1):
        rows = [
            (v.code, v.ethics_level and v.ethics_level.name, v.regulation.slug)
            for v in violation_types_in_force(on=PEMILU_2024_CAMPAIGN)
        ]

    assert rows[3] == ("N04", "Sanksi moral", "skb-2022")


@pytest.mark.usefixtures("loaded")
def test_sanction_scales_in_force_follow_their_regulations() -> None:
    def scales(on: dt.date) -> list[tuple[str, list[str]]]:
        return [
            (level.code, [m.code for m in level.measures.all()])
            for level in sanction_levels_in_force(on=on)
        ]

    # Before PP 94/2021 only the moral sanction and PTDH (UU 5/2014) were loaded.
    assert scales(dt.date(2020, 1, 1)) == [
        (
            "moral",
            ["moral-closed-statement", "moral-open-statement", "moral-administrative-action"],
        ),
        ("ptdh", ["ptdh-pns", "ptdh-pppk"]),
    ]
    assert [code for code, _ in scales(PEMILU_2024_CAMPAIGN)] == [
        "moral",
        "light",
        "medium",
        "heavy",
        "ptdh",
    ]
    assert dict(scales(PEMILU_2024_CAMPAIGN))["heavy"] == [
        "heavy-demotion-12m",
        "heavy-release-to-executor-12m",
        "heavy-honourable-dismissal",
        "heavy-pppk-termination",
    ]


# --- the whole catalogue, for reading -------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "periods"),
    [
        # Newest version first.
        (dt.date(2024, 8, 22), {"bkn": Period.FUTURE, "kasn": Period.IN_FORCE}),
        (dt.date(2024, 8, 23), {"bkn": Period.IN_FORCE, "kasn": Period.ENDED}),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_the_catalogue_lists_every_version_with_its_period_on_the_date(
    on: dt.date, periods: dict[str, Period]
) -> None:
    catalogue = law_catalogue(on=on)

    asn = [(r.code, r.period) for r in catalogue.recipients if r.outcome == "other_law_asn"]
    assert asn == list(periods.items())
    assert [v.code for v in catalogue.violation_types] == [f"N{i:02d}" for i in range(1, 14)]


@pytest.mark.usefixtures("loaded")
def test_the_catalogue_groups_deadlines_by_regime_in_the_order_of_a_case() -> None:
    catalogue = law_catalogue(on=PILKADA_2024_CAMPAIGN)

    assert [
        (group.regime.value, [(r.step, r.duration, r.unit) for r in group.rules])
        for group in catalogue.deadlines
    ] == [
        (
            "pemilu",
            [
                ("file_report", 7, "working_days"),
                ("quiet_period_intake", 24, "hours"),
                ("temuan_plenary", 7, "working_days"),
                ("initial_review", 2, "working_days"),
                ("completion_notice", 1, "working_days"),
                ("completion_fix", 3, "working_days"),
                ("handling", 7, "working_days"),
                ("handling_extension", 7, "working_days"),
                ("ppk_decision", 10, "working_days"),
            ],
        ),
        (
            "pilkada",
            [
                ("file_report", 7, "calendar_days"),
                ("temuan_plenary", 7, "calendar_days"),
                ("initial_review", 2, "calendar_days"),
                ("handling", 3, "calendar_days"),
                ("handling_extension", 2, "calendar_days"),
                ("ppk_decision", 10, "calendar_days"),
            ],
        ),
    ]


@pytest.mark.usefixtures("loaded")
def test_reading_the_whole_catalogue_costs_one_query_per_table(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    catalogue = law_catalogue(on=PEMILU_2024_CAMPAIGN)
    # violations, levels + measures, two regimes' deadlines, recipients, forms, regulations
    with django_assert_num_queries(8):
        violations = [(v.regulation.slug, v.discipline_level) for v in catalogue.violation_types]
        measures = [
            (m.code, m.regulation.slug)
            for level in catalogue.sanction_levels
            for m in level.measures.all()
        ]
        rules = [r.regulation.slug for group in catalogue.deadlines for r in group.rules]
        recipients = [r.regulation.slug for r in catalogue.recipients]
        forms = [f.regulation.slug for f in catalogue.form_codes]
        slugs = [regulation.slug for regulation in catalogue.regulations]

    assert (len(violations), len(measures), len(rules), len(recipients), len(forms)) == (
        13,
        15,
        15,
        8,
        4,
    )
    assert ("heavy-pppk-termination", "pp-49-2018") in measures
    # Regulations that no row cites (Perbawaslu 6/2018, 8/2022, ...) are left out.
    assert "perbawaslu-6-2018" not in slugs
    assert set(slugs) == {v.regulation.slug for v in catalogue.violation_types} | set(rules) | set(
        recipients
    ) | set(forms) | {m[1] for m in measures} | {
        level.regulation.slug for level in catalogue.sanction_levels
    }


# --- prohibitions per subject group -----------------------------------------------------------


def test_a_village_head_in_pemilu_is_bound_by_the_election_law_and_the_village_law(
    loaded: None,
) -> None:
    rows = prohibitions_in_force(group="village", regime="pemilu", on=PEMILU_2024_CAMPAIGN)

    assert [(r.code, r.scope, r.offence) for r in rows] == [
        ("desa-pemilu", "campaign", "UU 7/2017 Pasal 490 (kepala desa) dan Pasal 494"),
        ("desa-uu-desa", "any_time", ""),
    ]


def test_tni_in_pilkada_became_subject_of_the_crime_article_on_the_mk_decision(
    loaded: None,
) -> None:
    before = prohibitions_in_force(group="tni", regime="pilkada", on=dt.date(2024, 11, 13))
    after = prohibitions_in_force(group="tni", regime="pilkada", on=dt.date(2024, 11, 14))

    assert [(r.code, r.offence) for r in before] == [
        ("tni-pilkada", ""),
        ("tni-uu-34-2004", ""),
    ]
    assert [(r.code, r.regulation.slug) for r in after] == [
        ("tni-pilkada", "mk-136-puu-xxii-2024"),
        ("tni-uu-34-2004", "uu-34-2004"),
    ]
    assert list(prohibitions_in_force(group="tni", regime="pilkada", on=dt.date(2001, 1, 1))) == []
