"""Reads of the regulation tables: which rule was in force on a given date.

Every lookup takes the date that matters to the caller (when a violation became known, when a
report was registered), never "today" implicitly, so a case keeps the rules of its own time.
When two versions overlap, the one that took effect last wins.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from netra.law.models import (
    DeadlineRule,
    DeadlineStep,
    FormCode,
    FormPurpose,
    Outcome,
    Recipient,
    Regime,
    SanctionLevel,
    SanctionMeasure,
    ViolationType,
)


class LawRuleMissing(LookupError):
    """No row of the regulation tables answers the question for that date.

    Raised rather than falling back to a built-in value: regulation is data, and a missing
    rule is something staff must add in the admin.
    """


def violation_types_in_force(*, on: dt.date) -> QuerySet[ViolationType]:
    """The violation catalogue as it stood on ``on``, by code, with both sanction levels."""
    return (
        ViolationType.objects.in_force(on)
        .select_related("regulation", "ethics_level", "discipline_level")
        .order_by("code", "-effective_from")
    )


def sanction_levels_in_force(*, on: dt.date) -> QuerySet[SanctionLevel]:
    """Sanction levels in force on ``on``, lightest first, each with its measures in force."""
    return (
        SanctionLevel.objects.in_force(on)
        .select_related("regulation")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=SanctionMeasure.objects.in_force(on)
                .select_related("regulation")
                .order_by("order", "code"),
            )
        )
        .order_by("rank", "code")
    )


def deadline_rule(*, regime: Regime | str, step: DeadlineStep | str, on: dt.date) -> DeadlineRule:
    """The deadline rule for ``step`` of ``regime`` in force on ``on``.

    Raises ``LawRuleMissing`` (message in Indonesian, naming regime, step and date) when no
    rule is in force; callers must not invent a default.
    """
    rule = (
        DeadlineRule.objects.in_force(on)
        .filter(regime=regime, step=step)
        .select_related("regulation")
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise LawRuleMissing(
            _(
                "Tidak ada aturan tenggat %(regime)s untuk tahap %(step)s yang berlaku pada "
                "%(on)s. Tambahkan di admin Regulasi › Aturan tenggat."
            )
            % {
                "regime": _label(Regime, regime),
                "step": _label(DeadlineStep, step),
                "on": on.isoformat(),
            }
        )
    return rule


def recipient_for(*, outcome: Outcome | str, regime: Regime | str, on: dt.date) -> Recipient:
    """The body that receives ``outcome`` for ``regime`` on ``on``.

    A row for that regime wins over a row for both regimes (blank regime). Raises
    ``LawRuleMissing`` when neither is in force.
    """
    rows = (
        Recipient.objects.in_force(on)
        .filter(outcome=outcome)
        .select_related("regulation")
        .order_by("-effective_from")
    )
    row = rows.filter(regime=regime).first() or rows.filter(regime="").first()
    if row is None:
        raise LawRuleMissing(
            _("Tidak ada penerima untuk %(outcome)s (%(regime)s) yang berlaku pada %(on)s.")
            % {
                "outcome": _label(Outcome, outcome),
                "regime": _label(Regime, regime),
                "on": on.isoformat(),
            }
        )
    return row


def form_code(*, purpose: FormPurpose | str, regime: Regime | str, on: dt.date) -> FormCode:
    """The form code for ``purpose`` in ``regime`` on ``on``; a regime row wins over a blank one.

    Raises ``LawRuleMissing`` when neither is in force.
    """
    rows = (
        FormCode.objects.in_force(on)
        .filter(purpose=purpose)
        .select_related("regulation")
        .order_by("-effective_from")
    )
    row = rows.filter(regime=regime).first() or rows.filter(regime="").first()
    if row is None:
        raise LawRuleMissing(
            _("Tidak ada kode formulir %(purpose)s (%(regime)s) yang berlaku pada %(on)s.")
            % {
                "purpose": _label(FormPurpose, purpose),
                "regime": _label(Regime, regime),
                "on": on.isoformat(),
            }
        )
    return row


def _label(choices: type[Regime | DeadlineStep | Outcome | FormPurpose], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return repr(value)
