"""Writes to the regulation tables: loading the packaged reference data (``law.yaml``).

The loader is idempotent and keyed by natural keys, never by database ids:

- regulations by ``slug``;
- sanction levels, sanction measures and violation types by ``(code, effective_from)``;
- deadline rules by ``(regime, step, effective_from)``;
- recipients by ``(outcome, regime, effective_from)``;
- form codes by ``(regime, purpose, effective_from)``;
- prohibitions by ``(code, effective_from)``.

Staff edit these rows in the admin as rules change, so a row that already exists and differs
from the file is *reported, not overwritten*, unless the caller passes ``overwrite=True``
(``netra law load --overwrite``). Missing rows are always created. Rows that exist only in
the database (versions staff added) are left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import yaml
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationError as SchemaError
from pydantic_core import ErrorDetails

from netra.core.events import event_record
from netra.core.models import Event
from netra.law.events import LawEvent
from netra.law.models import (
    Certainty,
    DayUnit,
    DeadlineRule,
    DeadlineStep,
    FormCode,
    FormPurpose,
    Outcome,
    Prohibition,
    ProhibitionScope,
    Recipient,
    Regime,
    Regulation,
    SanctionLevel,
    SanctionMeasure,
    SubjectGroup,
    Track,
    ViolationType,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "law.yaml"

# Sections of the file, in load order (later sections refer to earlier ones).
SECTIONS: dict[str, type[models.Model]] = {
    "regulations": Regulation,
    "sanction_levels": SanctionLevel,
    "sanction_measures": SanctionMeasure,
    "violation_types": ViolationType,
    "deadline_rules": DeadlineRule,
    "recipients": Recipient,
    "form_codes": FormCode,
    "prohibitions": Prohibition,
}

M = TypeVar("M", bound=models.Model)


# --- result and error types -------------------------------------------------------------


@dataclass(frozen=True)
class LawProblem:
    """One thing wrong with the file: where (YAML path or line/column) and why."""

    where: str
    message: str


class LawDataError(Exception):
    """The file cannot be loaded; nothing was written. ``problems`` lists every fault found."""

    def __init__(self, source: Path, problems: Sequence[LawProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(
            "\n".join(f"{source}: {problem.where}: {problem.message}" for problem in problems)
        )


@dataclass
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    differing: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "differing": self.differing,
        }


@dataclass(frozen=True)
class FieldDifference:
    name: str
    label: str
    database: str
    file: str


@dataclass(frozen=True)
class RowDifference:
    """A stored row whose values differ from the file (kept unless overwriting)."""

    section: str
    where: str
    row: str
    fields: tuple[FieldDifference, ...]
    overwritten: bool


@dataclass
class LawLoadSummary:
    source: Path
    overwrite: bool
    dry_run: bool
    counts: dict[str, SectionCounts] = field(
        default_factory=lambda: {name: SectionCounts() for name in SECTIONS}
    )
    differences: list[RowDifference] = field(default_factory=list)

    @property
    def wrote(self) -> bool:
        """Whether the load created or overwrote any row."""
        return any(c.created or c.updated for c in self.counts.values())

    def as_params(self) -> dict[str, Any]:
        return {
            "source": self.source.name,
            "overwrite": self.overwrite,
            "counts": {name: counts.as_dict() for name, counts in self.counts.items()},
            "differing": [f"{d.section}:{d.row}" for d in self.differences if not d.overwritten],
            "overwritten": [f"{d.section}:{d.row}" for d in self.differences if d.overwritten],
        }


# --- the file schema ----------------------------------------------------------------------


def _choice(choices: type[models.TextChoices], *, blank: bool = False) -> Callable[[str], str]:
    allowed = [str(value) for value in choices.values] + ([""] if blank else [])

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(
                _("tidak dikenal '%(value)s' (pilihan: %(allowed)s)")
                % {"value": value, "allowed": ", ".join(a or '""' for a in allowed)}
            )
        return value

    return check


def _none_to_blank(value: object) -> object:
    return "" if value is None else value


# An optional text: an empty YAML value (``regime:``) reads as "".
Text = Annotated[str, BeforeValidator(_none_to_blank)]
CertaintyCode = Annotated[str, AfterValidator(_choice(Certainty))]
TrackCode = Annotated[str, AfterValidator(_choice(Track))]
RegimeCode = Annotated[str, AfterValidator(_choice(Regime))]
OptionalRegimeCode = Annotated[Text, AfterValidator(_choice(Regime, blank=True))]
StepCode = Annotated[str, AfterValidator(_choice(DeadlineStep))]
UnitCode = Annotated[str, AfterValidator(_choice(DayUnit))]
OutcomeCode = Annotated[str, AfterValidator(_choice(Outcome))]
PurposeCode = Annotated[str, AfterValidator(_choice(FormPurpose))]
GroupCode = Annotated[str, AfterValidator(_choice(SubjectGroup))]
ScopeCode = Annotated[str, AfterValidator(_choice(ProhibitionScope))]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegulationEntry(_Entry):
    slug: str
    title: str
    number: Text = ""
    enacted_on: dt.date | None = None
    source_url: Text = ""
    note: Text = ""


class _VersionedEntry(_Entry):
    regulation: str
    effective_from: dt.date
    effective_until: dt.date | None = None
    certainty: CertaintyCode = Certainty.CONFIRMED.value
    note: Text = ""


class MeasureEntry(_Entry):
    """A measure inherits its level's regulation and effective_from unless it names its own."""

    code: str
    name: str
    order: int = Field(default=0, ge=0)
    regulation: str | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    certainty: CertaintyCode = Certainty.CONFIRMED.value
    note: Text = ""


class SanctionLevelEntry(_VersionedEntry):
    code: str
    name: str
    track: TrackCode
    rank: int = Field(ge=0)
    measures: list[MeasureEntry] = Field(default_factory=list)


class ViolationTypeEntry(_VersionedEntry):
    code: str
    behaviour: str
    social_media: bool = False
    ethics_level: str | None = None
    discipline_level: str | None = None
    legal_basis: Text = ""


class DeadlineRuleEntry(_VersionedEntry):
    regime: RegimeCode
    step: StepCode
    duration: int = Field(ge=0)
    unit: UnitCode
    starts_from: str


class RecipientEntry(_VersionedEntry):
    outcome: OutcomeCode
    regime: OptionalRegimeCode = ""
    code: str
    body: str
    copy_to: Text = ""
    copy_to_certainty: CertaintyCode = Certainty.CONFIRMED.value


class FormCodeEntry(_VersionedEntry):
    purpose: PurposeCode
    regime: OptionalRegimeCode = ""
    code: str
    name: str


class ProhibitionEntry(_VersionedEntry):
    code: str
    subject_group: GroupCode
    regime: OptionalRegimeCode = ""
    legal_basis: str
    scope: ScopeCode = ProhibitionScope.ANY_TIME.value
    offence: Text = ""


class LawFile(_Entry):
    regulations: list[RegulationEntry] = Field(default_factory=list)
    sanction_levels: list[SanctionLevelEntry] = Field(default_factory=list)
    violation_types: list[ViolationTypeEntry] = Field(default_factory=list)
    deadline_rules: list[DeadlineRuleEntry] = Field(default_factory=list)
    recipients: list[RecipientEntry] = Field(default_factory=list)
    form_codes: list[FormCodeEntry] = Field(default_factory=list)
    prohibitions: list[ProhibitionEntry] = Field(default_factory=list)


def _yaml_path(loc: Sequence[str | int]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or _("(akar berkas)")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _schema_message(error: ErrorDetails) -> str:
    """Say in Indonesian what pydantic found wrong with one value."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "missing":
        return _("wajib diisi")
    if kind == "extra_forbidden":
        return _("kolom tidak dikenal")
    if kind == "greater_than_equal":
        return _("tidak boleh kurang dari %(limit)s") % {"limit": ctx.get("ge")}
    reasons = {
        "string": _("harus berupa teks"),
        "int": _("harus berupa bilangan bulat"),
        "bool": _("harus true atau false"),
        "date": _("harus berupa tanggal TTTT-BB-HH"),
        "list": _("harus berupa daftar"),
        "model": _("harus berupa pemetaan kunci: nilai"),
        "dict": _("harus berupa pemetaan kunci: nilai"),
    }
    for prefix, reason in reasons.items():
        if kind.startswith(prefix):
            return _("%(reason)s, bukan %(value)s") % {
                "reason": reason,
                "value": _shown(error["input"]),
            }
    return _("nilai tidak sah (%(reason)s)") % {"reason": error["msg"]}


def _read(source: Path) -> LawFile:
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise LawDataError(
            source, [LawProblem(_("berkas"), _("tidak dapat dibaca: %s") % error.strerror)]
        ) from error
    try:
        # libyaml when present: the same safe subset, several times faster. Both loaders are
        # safe ones, which ruff cannot see through getattr.
        safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(text, Loader=safe_loader)  # noqa: S506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (
            _("baris %(line)d, kolom %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark is not None
            else _("berkas")
        )
        raise LawDataError(
            source, [LawProblem(where, _("YAML tidak sah: %s") % (error.problem or error))]
        ) from error
    except yaml.YAMLError as error:
        raise LawDataError(
            source, [LawProblem(_("berkas"), _("YAML tidak sah: %s") % error)]
        ) from error
    if raw is None:
        raise LawDataError(source, [LawProblem(_("berkas"), _("berkas kosong"))])
    try:
        return LawFile.model_validate(raw)
    except SchemaError as error:
        raise LawDataError(
            source,
            [LawProblem(_yaml_path(e["loc"]), _schema_message(e)) for e in error.errors()],
        ) from error


# --- the loader ---------------------------------------------------------------------------


def _display(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _field_label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _differences(row: models.Model, values: dict[str, Any]) -> tuple[FieldDifference, ...]:
    """The fields where the stored ``row`` differs from the file's ``values``."""
    found = []
    for name, value in values.items():
        field = row._meta.get_field(name)
        if field.is_relation:
            # Compare ids, so an unchanged reference costs no query.
            if getattr(row, getattr(field, "attname", name)) == getattr(value, "pk", None):
                continue
        elif getattr(row, name) == value:
            continue
        found.append(
            FieldDifference(
                name=name,
                label=_field_label(type(row), name),
                database=_display(getattr(row, name)),
                file=_display(value),
            )
        )
    return tuple(found)


class _Loader:
    def __init__(self, *, summary: LawLoadSummary) -> None:
        self.summary = summary
        self.problems: list[LawProblem] = []
        self.regulations: dict[str, Regulation] = {}
        self.seen: dict[tuple[str, tuple[object, ...]], str] = {}
        self.stored: dict[type[models.Model], dict[tuple[object, ...], models.Model]] = {}
        self.levels: list[SanctionLevel] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(LawProblem(where, message))

    def run(self, data: LawFile) -> None:
        for i, regulation in enumerate(data.regulations):
            self.regulation(f"regulations[{i}]", regulation)
        self.regulations = {r.slug: r for r in Regulation.objects.all()}
        for i, level in enumerate(data.sanction_levels):
            self.sanction_level(f"sanction_levels[{i}]", level)
        self.levels = list(SanctionLevel.objects.all())
        for i, violation in enumerate(data.violation_types):
            self.violation_type(f"violation_types[{i}]", violation)
        for i, rule in enumerate(data.deadline_rules):
            self.deadline_rule(f"deadline_rules[{i}]", rule)
        for i, recipient in enumerate(data.recipients):
            self.recipient(f"recipients[{i}]", recipient)
        for i, form in enumerate(data.form_codes):
            self.form_code(f"form_codes[{i}]", form)
        for i, prohibition in enumerate(data.prohibitions):
            self.prohibition(f"prohibitions[{i}]", prohibition)

    def stored_rows(
        self, model: type[models.Model], key_names: Sequence[str]
    ) -> dict[tuple[object, ...], models.Model]:
        """Every stored row of ``model`` by natural key, read once per load."""
        if model not in self.stored:
            self.stored[model] = {
                tuple(getattr(row, name) for name in key_names): row
                for row in model._default_manager.all()
            }
        return self.stored[model]

    def valid(self, where: str, row: models.Model, values: dict[str, Any]) -> bool:
        relations = [name for name in values if row._meta.get_field(name).is_relation]
        try:
            # References were just resolved from the database and natural keys matched, so
            # the per-row existence and uniqueness queries would only repeat that work; the
            # period check constraint is covered by Versioned.clean().
            row.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                place = where if name == NON_FIELD_ERRORS else f"{where}.{name}"
                self.fail(place, " ".join(messages))
            return False
        return True

    # One row: find it by natural key, then create, leave, report or overwrite it.
    def upsert(
        self,
        *,
        section: str,
        where: str,
        model: type[M],
        key: dict[str, Any],
        values: dict[str, Any],
        label: str,
    ) -> M | None:
        marker = (section, tuple(key.values()))
        if marker in self.seen:
            self.fail(where, _("kunci ganda: sama dengan %s") % self.seen[marker])
            return None
        self.seen[marker] = where

        rows = self.stored_rows(model, list(key))
        existing = cast("M | None", rows.get(tuple(key.values())))
        counts = self.summary.counts[section]
        if existing is None:
            row = model(**key, **values)
            if not self.valid(where, row, values):
                return None
            row.save()
            rows[tuple(key.values())] = row
            counts.created += 1
            return row

        differences = _differences(existing, values)
        if not differences:
            counts.unchanged += 1
            return existing
        # Validate the file's version on its own, so a bad entry is reported even when the
        # stored row is kept.
        if not self.valid(where, model(pk=existing.pk, **key, **values), values):
            return None
        self.summary.differences.append(
            RowDifference(
                section=section,
                where=where,
                row=label,
                fields=differences,
                overwritten=self.summary.overwrite,
            )
        )
        if not self.summary.overwrite:
            # Keep the staff's version.
            counts.differing += 1
            return existing
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save(update_fields=[*(d.name for d in differences), "updated_at"])
        counts.updated += 1
        return existing

    def regulation_for(self, where: str, slug: str) -> Regulation | None:
        regulation = self.regulations.get(slug)
        if regulation is None:
            self.fail(f"{where}.regulation", _("tidak dikenal '%s'") % slug)
        return regulation

    def regulation(self, where: str, entry: RegulationEntry) -> None:
        self.upsert(
            section="regulations",
            where=where,
            model=Regulation,
            key={"slug": entry.slug},
            values={
                "title": entry.title,
                "number": entry.number,
                "enacted_on": entry.enacted_on,
                "source_url": entry.source_url,
                "note": entry.note,
            },
            label=entry.slug,
        )

    def versioned(self, where: str, entry: _VersionedEntry) -> dict[str, Any] | None:
        regulation = self.regulation_for(where, entry.regulation)
        if regulation is None:
            return None
        return {
            "regulation": regulation,
            "effective_until": entry.effective_until,
            "certainty": entry.certainty,
            "note": entry.note,
        }

    def sanction_level(self, where: str, entry: SanctionLevelEntry) -> None:
        common = self.versioned(where, entry)
        if common is None:
            return
        level = self.upsert(
            section="sanction_levels",
            where=where,
            model=SanctionLevel,
            key={"code": entry.code, "effective_from": entry.effective_from},
            values={**common, "name": entry.name, "track": entry.track, "rank": entry.rank},
            label=f"{entry.code} {entry.effective_from.isoformat()}",
        )
        if level is None:
            return
        for i, measure in enumerate(entry.measures):
            self.sanction_measure(f"{where}.measures[{i}]", level, entry, measure)

    def sanction_measure(
        self, where: str, level: SanctionLevel, parent: SanctionLevelEntry, entry: MeasureEntry
    ) -> None:
        regulation = self.regulation_for(where, entry.regulation or parent.regulation)
        if regulation is None:
            return
        effective_from = entry.effective_from or parent.effective_from
        if effective_from < level.effective_from:
            self.fail(
                f"{where}.effective_from",
                _("sebelum tingkatnya berlaku (%s)") % level.effective_from.isoformat(),
            )
            return
        self.upsert(
            section="sanction_measures",
            where=where,
            model=SanctionMeasure,
            key={"code": entry.code, "effective_from": effective_from},
            values={
                "level": level,
                "name": entry.name,
                "order": entry.order,
                "regulation": regulation,
                "effective_until": entry.effective_until,
                "certainty": entry.certainty,
                "note": entry.note,
            },
            label=f"{entry.code} {effective_from.isoformat()}",
        )

    def level_for(
        self, where: str, code: str | None, on: dt.date
    ) -> tuple[bool, SanctionLevel | None]:
        """The level version in force on ``on``; (False, None) when the code is bad."""
        if code is None or code == "":
            return True, None
        versions = [level for level in self.levels if level.code == code]
        if not versions:
            self.fail(where, _("tidak dikenal '%s'") % code)
            return False, None
        in_force = [
            level
            for level in versions
            if level.effective_from <= on
            and (level.effective_until is None or level.effective_until >= on)
        ]
        if not in_force:
            self.fail(
                where, _("tingkat '%(code)s' tidak berlaku pada %(on)s") % {"code": code, "on": on}
            )
            return False, None
        return True, max(in_force, key=lambda level: level.effective_from)

    def violation_type(self, where: str, entry: ViolationTypeEntry) -> None:
        common = self.versioned(where, entry)
        ok_ethics, ethics = self.level_for(
            f"{where}.ethics_level", entry.ethics_level, entry.effective_from
        )
        ok_discipline, discipline = self.level_for(
            f"{where}.discipline_level", entry.discipline_level, entry.effective_from
        )
        if common is None or not (ok_ethics and ok_discipline):
            return
        self.upsert(
            section="violation_types",
            where=where,
            model=ViolationType,
            key={"code": entry.code, "effective_from": entry.effective_from},
            values={
                **common,
                "behaviour": entry.behaviour,
                "social_media": entry.social_media,
                "ethics_level": ethics,
                "discipline_level": discipline,
                "legal_basis": entry.legal_basis,
            },
            label=f"{entry.code} {entry.effective_from.isoformat()}",
        )

    def deadline_rule(self, where: str, entry: DeadlineRuleEntry) -> None:
        common = self.versioned(where, entry)
        if common is None:
            return
        self.upsert(
            section="deadline_rules",
            where=where,
            model=DeadlineRule,
            key={
                "regime": entry.regime,
                "step": entry.step,
                "effective_from": entry.effective_from,
            },
            values={
                **common,
                "duration": entry.duration,
                "unit": entry.unit,
                "starts_from": entry.starts_from,
            },
            label=f"{entry.regime}/{entry.step} {entry.effective_from.isoformat()}",
        )

    def recipient(self, where: str, entry: RecipientEntry) -> None:
        common = self.versioned(where, entry)
        if common is None:
            return
        self.upsert(
            section="recipients",
            where=where,
            model=Recipient,
            key={
                "outcome": entry.outcome,
                "regime": entry.regime,
                "effective_from": entry.effective_from,
            },
            values={
                **common,
                "code": entry.code,
                "body": entry.body,
                "copy_to": entry.copy_to,
                "copy_to_certainty": entry.copy_to_certainty,
            },
            label=f"{entry.outcome}/{entry.regime or '*'} {entry.effective_from.isoformat()}",
        )

    def form_code(self, where: str, entry: FormCodeEntry) -> None:
        common = self.versioned(where, entry)
        if common is None:
            return
        self.upsert(
            section="form_codes",
            where=where,
            model=FormCode,
            key={
                "regime": entry.regime,
                "purpose": entry.purpose,
                "effective_from": entry.effective_from,
            },
            values={**common, "code": entry.code, "name": entry.name},
            label=f"{entry.purpose}/{entry.regime or '*'} {entry.effective_from.isoformat()}",
        )

    def prohibition(self, where: str, entry: ProhibitionEntry) -> None:
        common = self.versioned(where, entry)
        if common is None:
            return
        self.upsert(
            section="prohibitions",
            where=where,
            model=Prohibition,
            key={"code": entry.code, "effective_from": entry.effective_from},
            values={
                **common,
                "subject_group": entry.subject_group,
                "regime": entry.regime,
                "legal_basis": entry.legal_basis,
                "scope": entry.scope,
                "offence": entry.offence,
            },
            label=f"{entry.code} {entry.effective_from.isoformat()}",
        )


def law_load(
    *,
    path: Path | None = None,
    actor: AbstractBaseUser | None = None,
    overwrite: bool = False,
    dry_run: bool = False,
) -> LawLoadSummary:
    """Load the regulation reference data from YAML (default: the packaged ``law.yaml``).

    Creates missing rows; leaves rows equal to the file alone; a stored row that differs
    from the file (a staff edit in the admin, or a newer file) is kept and listed in
    ``summary.differences`` unless ``overwrite`` is true, in which case the file wins.
    All or nothing: any fault raises ``LawDataError`` naming each bad entry by its YAML path
    (``violation_types[3].ethics_level: tidak dikenal 'morall'``) and nothing is written.
    Records one ``law.loaded`` event with the counts when the load wrote a row; a load that
    changes nothing leaves no trace (it is no state change), and ``dry_run`` writes nothing.
    """
    source = path if path is not None else DEFAULT_PATH
    data = _read(source)
    summary = LawLoadSummary(source=source, overwrite=overwrite, dry_run=dry_run)
    with transaction.atomic():
        loader = _Loader(summary=summary)
        loader.run(data)
        if loader.problems:
            raise LawDataError(source, loader.problems)
        if dry_run:
            transaction.set_rollback(True)
        elif summary.wrote:
            event_record(kind=LawEvent.LOADED, actor=actor, params=summary.as_params())
    return summary


def law_row_changed(
    *, row: models.Model, actor: AbstractBaseUser | None, action: str, change: Any
) -> Event:
    """Record one edit of a regulation row made by staff outside the loader (in the admin).

    ``action`` is ``added``, ``changed`` or ``deleted``; ``change`` is the admin's change
    message (JSON-serialisable). The caller saves the row; this only writes the timeline.
    """
    return event_record(
        kind=LawEvent.EDITED,
        subject=row,
        actor=actor,
        params={
            "model": row._meta.label_lower,
            "row": str(row),
            "action": action,
            "change": change,
        },
    )
