"""Reads of the regulation tables: which rule was in force on a given date.

Every lookup takes the date that matters to the caller (when a violation became known, when a
report was registered), never "today" implicitly, so a case keeps the rules of its own time.
When two versions overlap, the one that took effect last wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

from django.db.models import Case, CharField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from netra.law.models import (
    DeadlineRule,
    DeadlineStep,
    FormCode,
    FormPurpose,
    Outcome,
    Prohibition,
    Recipient,
    Regime,
    Regulation,
    SanctionLevel,
    SanctionMeasure,
    SubjectGroup,
    Versioned,
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


def prohibitions_in_force(
    *, group: SubjectGroup | str, regime: Regime | str, on: dt.date
) -> QuerySet[Prohibition]:
    """The prohibitions binding ``group`` in ``regime`` on ``on``: rows of that regime and
    rows of both (blank regime), one per code (the version that took effect last), by code.

    Empty when none is in force; the caller decides what an act without a basis means.
    """
    rows = (
        Prohibition.objects.in_force(on)
        .filter(subject_group=group)
        .filter(Q(regime=regime) | Q(regime=""))
        .select_related("regulation")
        .order_by("code", "-effective_from")
    )
    latest: dict[str, int] = {}
    for row in rows:
        latest.setdefault(row.code, row.pk)
    return rows.filter(pk__in=sorted(latest.values()))


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


# --- the whole catalogue, for reading -------------------------------------------------------


class Period(StrEnum):
    """Where a row's period lies relative to the catalogue's date (the ``period`` annotation)."""

    IN_FORCE = "in_force"
    ENDED = "ended"
    FUTURE = "future"


class WithPeriod(TypedDict):
    period: str


def _period(on: dt.date) -> Case:
    """The ``period`` of a versioned row as of ``on``: in force, ended, or not yet."""
    return Case(
        When(effective_from__gt=on, then=Value(Period.FUTURE.value)),
        When(effective_until__lt=on, then=Value(Period.ENDED.value)),
        default=Value(Period.IN_FORCE.value),
        output_field=CharField(),
    )


# Deadline steps in the order a case meets them (DeadlineStep's order), not by name.
_STEP_ORDER = Case(
    *(When(step=step, then=Value(index)) for index, step in enumerate(DeadlineStep)),
    default=Value(len(DeadlineStep)),
)


@dataclass(frozen=True)
class RegimeDeadlines:
    regime: Regime
    rules: QuerySet[WithAnnotations[DeadlineRule, WithPeriod]]


@dataclass(frozen=True)
class LawCatalogue:
    """Every version of every rule, each row annotated with its ``period`` as of ``on``.

    Past and future versions stay listed (KASN until 22 August 2024, BKN since), so that a
    reader sees which rule a case of another date follows.
    """

    on: dt.date
    violation_types: QuerySet[WithAnnotations[ViolationType, WithPeriod]]
    sanction_levels: QuerySet[WithAnnotations[SanctionLevel, WithPeriod]]
    deadlines: tuple[RegimeDeadlines, ...]
    recipients: QuerySet[WithAnnotations[Recipient, WithPeriod]]
    form_codes: QuerySet[WithAnnotations[FormCode, WithPeriod]]
    regulations: QuerySet[Regulation]


def law_catalogue(*, on: dt.date) -> LawCatalogue:
    """The regulation tables for reading, with each row's period as of ``on``.

    The querysets are lazy and cost one query each when read (sanction levels one more for
    their measures), whatever the number of rows. ``regulations`` are those a row cites.
    """
    tables: tuple[type[Versioned], ...] = (
        ViolationType,
        SanctionLevel,
        SanctionMeasure,
        DeadlineRule,
        Recipient,
        FormCode,
    )
    cited = Q()
    for model in tables:
        cited |= Q(pk__in=model.objects.values("regulation_id"))
    measures = (
        SanctionMeasure.objects.select_related("regulation")
        .annotate(period=_period(on))
        .order_by("order", "code", "-effective_from")
    )
    return LawCatalogue(
        on=on,
        violation_types=ViolationType.objects.select_related(
            "regulation", "ethics_level", "discipline_level"
        )
        .annotate(period=_period(on))
        .order_by("code", "-effective_from"),
        sanction_levels=SanctionLevel.objects.select_related("regulation")
        .annotate(period=_period(on))
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("rank", "code", "-effective_from"),
        deadlines=tuple(
            RegimeDeadlines(
                regime=regime,
                rules=DeadlineRule.objects.filter(regime=regime)
                .select_related("regulation")
                .annotate(period=_period(on))
                .order_by(_STEP_ORDER.asc(), "-effective_from"),
            )
            for regime in Regime
        ),
        recipients=Recipient.objects.select_related("regulation")
        .annotate(period=_period(on))
        .order_by("outcome", "regime", "-effective_from"),
        form_codes=FormCode.objects.select_related("regulation")
        .annotate(period=_period(on))
        .order_by("purpose", "regime", "-effective_from"),
        regulations=Regulation.objects.filter(cited).order_by("slug"),
    )
