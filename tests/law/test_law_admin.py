"""The admin of the regulation tables: every list loads, markers show, edits persist and last."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from netra.core.models import Event
from netra.law.models import DeadlineRule, Recipient, Regulation, SanctionLevel, ViolationType
from netra.law.services import law_load
from netra.staff.models import User

ClientFor = Callable[[str], Client]


@pytest.fixture
def admin_client_ri(client_for: ClientFor) -> Client:
    law_load()
    return client_for("ri_admin")


def changelist(model: str) -> str:
    return reverse(f"admin:law_{model}_changelist")


def change(model: str, pk: int) -> str:
    return reverse(f"admin:law_{model}_change", args=[pk])


@pytest.mark.parametrize(
    ("model", "rows", "shown"),
    [
        ("regulation", 26, "Undang-Undang tentang Pemilihan Umum"),
        ("sanctionlevel", 5, "Hukuman disiplin berat"),
        ("sanctionmeasure", 15, "Pemotongan tunjangan kinerja 25% selama 9 bulan"),
        ("violationtype", 13, "N04"),
        ("deadlinerule", 15, "diketahuinya dugaan pelanggaran"),
        ("recipient", 8, "Badan Kepegawaian Negara (BKN)"),
        ("formcode", 4, "Formulir Model B.1"),
        ("prohibition", 13, "UU 7/2017 Pasal 280 ayat (2)–(3) dan Pasal 282"),
    ],
)
def test_every_changelist_loads_for_the_ri_admin(
    admin_client_ri: Client, model: str, rows: int, shown: str
) -> None:
    response = admin_client_ri.get(changelist(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
    assert shown in response.content.decode()


def test_filters_and_search_load_on_every_versioned_list(admin_client_ri: Client) -> None:
    models = ["sanctionlevel", "sanctionmeasure", "violationtype", "deadlinerule", "recipient"]
    queries = ["?certainty=unconfirmed", "?berlaku=ya", "?berlaku=tidak", "?q=pemilu"]
    statuses = {
        (model, query): admin_client_ri.get(changelist(model) + query).status_code
        for model in [*models, "formcode"]
        for query in queries
    }

    assert set(statuses.values()) == {200}


def test_unconfirmed_rows_carry_a_visible_marker_in_the_list(admin_client_ri: Client) -> None:
    response = admin_client_ri.get(changelist("violationtype") + "?certainty=unconfirmed")

    assert [v.code for v in response.context["cl"].result_list] == ["N06", "N07"]
    assert response.content.decode().count("⚠ belum terkonfirmasi") == 2


def test_the_change_form_shows_the_marker_on_top(admin_client_ri: Client) -> None:
    n07 = ViolationType.objects.get(code="N07")

    page = admin_client_ri.get(change("violationtype", n07.pk)).content.decode()

    assert "⚠ belum terkonfirmasi" in page
    assert page.index("⚠ belum terkonfirmasi") < page.index('name="behaviour"')


def test_the_in_force_filter_separates_kasn_from_bkn(admin_client_ri: Client) -> None:
    def codes(query: str) -> set[str]:
        response = admin_client_ri.get(changelist("recipient") + query)
        return {r.code for r in response.context["cl"].result_list}

    assert "bkn" in codes("?berlaku=ya")
    assert "kasn" not in codes("?berlaku=ya")
    assert codes("?berlaku=tidak") == {"kasn"}


def test_the_bkn_copy_to_kemendagri_is_marked_unconfirmed_in_the_list(
    admin_client_ri: Client,
) -> None:
    page = admin_client_ri.get(changelist("recipient") + "?outcome=other_law_asn").content.decode()

    assert "Kementerian Dalam Negeri (untuk ASN instansi daerah)" in page
    assert page.count("⚠ belum terkonfirmasi") == 1


def test_measures_are_edited_inline_under_their_level(admin_client_ri: Client) -> None:
    light = SanctionLevel.objects.get(code="light")

    response = admin_client_ri.get(change("sanctionlevel", light.pk))

    [inline] = response.context["inline_admin_formsets"]
    assert [form.instance.code for form in inline.formset.forms] == [
        "light-oral-warning",
        "light-written-warning",
        "light-written-dissatisfaction",
    ]


def test_the_track_fields_offer_only_levels_of_their_track(admin_client_ri: Client) -> None:
    n01 = ViolationType.objects.get(code="N01")

    form = admin_client_ri.get(change("violationtype", n01.pk)).context["adminform"].form

    assert [level.code for level in form.fields["ethics_level"].queryset] == ["moral"]
    assert [level.code for level in form.fields["discipline_level"].queryset] == [
        "light",
        "medium",
        "heavy",
        "ptdh",
    ]


def rule_form(rule: DeadlineRule, **changes: Any) -> dict[str, Any]:
    data = {
        "regime": rule.regime,
        "step": rule.step,
        "duration": rule.duration,
        "unit": rule.unit,
        "starts_from": rule.starts_from,
        "regulation": rule.regulation_id,
        "effective_from": rule.effective_from.isoformat(),
        "effective_until": rule.effective_until.isoformat() if rule.effective_until else "",
        "certainty": rule.certainty,
        "note": rule.note,
        "_save": "Simpan",
    }
    data.update(changes)
    return data


def test_an_edit_in_the_admin_persists_is_logged_and_survives_the_next_load(
    admin_client_ri: Client, personas: dict[str, User | None]
) -> None:
    rule = DeadlineRule.objects.get(regime="pilkada", step="initial_review")

    response = admin_client_ri.post(
        change("deadlinerule", rule.pk),
        rule_form(rule, duration=3, certainty="confirmed", note="Dikonfirmasi Bawaslu Jatim."),
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.duration, rule.certainty, rule.note) == (
        3,
        "confirmed",
        "Dikonfirmasi Bawaslu Jatim.",
    )
    event = Event.objects.get(kind="law.edited")
    assert event.actor == personas["ri_admin"]
    assert event.subject == rule
    assert event.params["action"] == "changed"
    assert event.params["model"] == "law.deadlinerule"
    assert event.params["change"] == [{"changed": {"fields": ["Lama", "Kepastian", "Catatan"]}}]

    summary = law_load()

    rule.refresh_from_db()
    assert rule.duration == 3
    assert summary.counts["deadline_rules"].differing == 1


def test_a_reversed_period_is_refused_by_the_change_form(admin_client_ri: Client) -> None:
    rule = DeadlineRule.objects.get(regime="pemilu", step="handling")

    response = admin_client_ri.post(
        change("deadlinerule", rule.pk), rule_form(rule, effective_until="2010-01-01")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["effective_until"] == [
        "Tanggal berlaku sampai tidak boleh sebelum tanggal berlaku sejak (2017-08-16)."
    ]
    rule.refresh_from_db()
    assert rule.effective_until is None
    assert not Event.objects.filter(kind="law.edited").exists()


def test_a_new_recipient_version_can_be_added_in_the_admin(admin_client_ri: Client) -> None:
    regulation = Regulation.objects.get(slug="mk-121-puu-xxii-2024")

    response = admin_client_ri.post(
        reverse("admin:law_recipient_add"),
        {
            "outcome": "other_law_asn",
            "regime": "",
            "code": "pengawas-independen",
            "body": "Lembaga pengawas sistem merit dan etik ASN yang independen",
            "copy_to": "",
            "copy_to_certainty": "confirmed",
            "regulation": regulation.pk,
            "effective_from": "2027-10-16",
            "effective_until": "",
            "certainty": "unconfirmed",
            "note": "Lembaga belum dibentuk; tanggal perkiraan.",
            "_save": "Simpan",
        },
    )

    assert response.status_code == 302
    added = Recipient.objects.get(code="pengawas-independen")
    assert added.effective_from == dt.date(2027, 10, 16)
    assert Event.objects.get(kind="law.edited").params["action"] == "added"
