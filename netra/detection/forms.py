"""Forms of the triage pages: the queue's filters, a dismissal's reason, a bulk decision.

Forms read and check input only; the decision itself, and who may make it, belong to
``netra.detection.services``.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from netra.core.platforms import Platform
from netra.detection.access import BULK_LIMIT
from netra.detection.models import ALIAS_KINDS, FlagKind, FlagStatus, TermKind
from netra.detection.selectors import FlagFilters
from netra.detection.verdict import ContentClass
from netra.elections.models import Candidate, Election, StageKind
from netra.geo.models import Region
from netra.monitor.pages import MAX_KEY
from netra.registry.models import Agency

_ANY = [("", _("Semua"))]
_BAD_REGION = _("Wilayah yang dipilih tidak ada dalam wilayah Anda.")
_REASON_REQUIRED = _("Tuliskan alasan penolakan.")
REASON_MAX = 2000


class _AgencyChoiceField(forms.ModelChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class FlagFilterForm(forms.Form):
    """The queue's filters. Without a status in the query, the queue shows open flags."""

    region = forms.CharField(label=_("Wilayah"), required=False, max_length=13)
    agency = _AgencyChoiceField(
        label=_("Instansi"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("Semua"),
        error_messages={"invalid_choice": _("Instansi yang dipilih tidak ada dalam wilayah Anda.")},
    )
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=_ANY + list(Platform.choices)
    )
    violation = forms.ChoiceField(label=_("Jenis pelanggaran"), required=False, choices=_ANY)
    min_priority = forms.IntegerField(
        label=_("Skor prioritas paling rendah"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": _("Skor prioritas berupa bilangan bulat 0 sampai 100."),
            "min_value": _("Skor prioritas berupa bilangan bulat 0 sampai 100."),
            "max_value": _("Skor prioritas berupa bilangan bulat 0 sampai 100."),
        },
    )
    stage = forms.ChoiceField(
        label=_("Tahapan"), required=False, choices=_ANY + list(StageKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_ANY + list(FlagStatus.choices)
    )
    kind = forms.ChoiceField(
        label=_("Jenis tanda"), required=False, choices=_ANY + list(FlagKind.choices)
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        regions: QuerySet[Region],
        region_choices: QuerySet[Region],
        agencies: QuerySet[Agency],
        codes: list[str],
        **kwargs: Any,
    ) -> None:
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = FlagStatus.OPEN
        super().__init__(data, **kwargs)
        self._regions = regions
        choices = [(r.code, f"{r.code} {r.name}") for r in region_choices]
        asked = data.get("region", "") if data is not None else ""
        if asked and asked not in {code for code, _label in choices}:
            extra = regions.filter(pk=asked).first()
            if extra is not None:
                choices.append((extra.code, f"{extra.code} {extra.name}"))
        self.fields["region"].widget = forms.Select(choices=[("", _("Semua")), *choices])
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101 - declared above
        agency.queryset = agencies
        violation = self.fields["violation"]
        assert isinstance(violation, forms.ChoiceField)  # noqa: S101 - declared above
        violation.choices = _ANY + [(code, code) for code in codes]
        self.fields["violation"].error_messages["invalid_choice"] = _(
            "Tidak ada tanda dengan kode pelanggaran %(value)s dalam wilayah Anda."
        )

    def clean_region(self) -> str:
        """A region code within the user's jurisdiction (another office's region gets the
        same answer as one that does not exist)."""
        code = str(self.cleaned_data.get("region") or "").strip()
        if code and not self._regions.filter(pk=code).exists():
            raise ValidationError(_BAD_REGION, code="region")
        return code

    def filters(self) -> FlagFilters:
        """The filters as the selector takes them; call after ``is_valid``."""
        data = self.cleaned_data
        agency = data.get("agency")
        return FlagFilters(
            region=data.get("region", ""),
            agency_id=agency.pk if agency is not None else None,
            platform=data.get("platform", ""),
            violation=data.get("violation", ""),
            min_priority=data.get("min_priority"),
            stage=data.get("stage", ""),
            status=data.get("status", ""),
            kind=data.get("kind", ""),
        )


CONTENT_CHOICES = [
    ("", _("Isinya memang kampanye; alasannya lain (akun, waktu, wilayah…)")),
    (
        ContentClass.POLITICAL_NEUTRAL.value,
        _("Isinya bukan kampanye: berita, pengumuman, pengingat"),
    ),
    (ContentClass.UNRELATED.value, _("Isinya tidak terkait pemilihan")),
]


def _content_field() -> forms.TypedChoiceField:
    """What the content is, when that is why a flag is dismissed: such a dismissal teaches
    the model (``netra model train``)."""
    return forms.TypedChoiceField(
        label=_("Penilaian isi"),
        required=False,
        coerce=ContentClass,
        empty_value=None,
        choices=CONTENT_CHOICES,
        error_messages={"invalid_choice": _("Penilaian isi %(value)s tidak dikenal.")},
    )


class FlagDismissForm(forms.Form):
    """Why staff dismiss a flag: required, kept with the flag and its Event; and what the
    content is, when that is the ground."""

    alasan = forms.CharField(
        label=_("Alasan penolakan"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _REASON_REQUIRED,
            "max_length": _("Alasan paling panjang %(limit_value)d karakter."),
        },
    )

    isi = _content_field()

    def clean_alasan(self) -> str:
        reason = str(self.cleaned_data.get("alasan", "")).strip()
        if not reason:
            raise ValidationError(_REASON_REQUIRED, code="required")
        return reason


class FlagKeysField(forms.Field):
    """The flags chosen in the queue: one or more row keys."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Pilih paling sedikit satu tanda."),
        "invalid": _("Tanda yang dipilih tidak sah."),
        "too_many": _("Paling banyak %(limit)d tanda sekaligus."),
    }

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        keys: list[int] = []
        for entry in values:
            text = str(entry).strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_KEY:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            keys.append(int(text))
        return sorted(set(keys))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > BULK_LIMIT:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": BULK_LIMIT}
            )


class Decision:
    CONFIRM = "confirm"
    DISMISS = "dismiss"


class FlagBulkForm(forms.Form):
    """A decision on several flags at once: confirm them, or dismiss them with one reason."""

    tanda = FlagKeysField(label=_("Tanda"))
    keputusan = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(Decision.CONFIRM, _("Konfirmasi")), (Decision.DISMISS, _("Tolak"))],
        error_messages={
            "required": _("Pilih keputusan: konfirmasi atau tolak."),
            "invalid_choice": _("Keputusan %(value)s tidak dikenal: pilih konfirmasi atau tolak."),
        },
    )
    alasan = forms.CharField(
        label=_("Alasan penolakan (wajib untuk menolak)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Alasan paling panjang %(limit_value)d karakter.")},
    )
    isi = _content_field()
    # The queue's filters, to go back to the same view of it.
    saring = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["alasan"] = str(data.get("alasan") or "").strip()
        if data.get("keputusan") == Decision.DISMISS and not data["alasan"]:
            self.add_error("alasan", _REASON_REQUIRED)
        return data

    def back_query(self) -> str:
        """The queue's query string to return to, rebuilt from its parts (never a URL)."""
        raw = str(self.cleaned_data.get("saring") or "") if hasattr(self, "cleaned_data") else ""
        query = QueryDict(raw.lstrip("?"), mutable=True)
        for name in ("setelah", "sebelum"):
            query.pop(name, None)
        return query.urlencode()


class CandidateField(forms.ModelChoiceField[Candidate]):
    def label_from_instance(self, obj: Candidate) -> str:
        return f"{obj.number}. {obj.name}"


class AliasForm(forms.Form):
    """A term staff saw used for a candidate, added to the election's lexicon."""

    calon = CandidateField(
        label=_("Calon"),
        queryset=Candidate.objects.none(),
        error_messages={
            "required": _("Pilih calon."),
            "invalid_choice": _("Calon itu tidak ikut dalam pemilihan ini."),
        },
    )
    istilah = forms.CharField(
        label=_("Istilah (julukan, singkatan, slogan, tagar, akun, partai)"),
        max_length=200,
        error_messages={"required": _("Tuliskan istilahnya.")},
    )
    jenis = forms.ChoiceField(
        label=_("Jenis istilah"),
        choices=[(kind.value, kind.label) for kind in ALIAS_KINDS],
        initial=TermKind.ALIAS,
        error_messages={"invalid_choice": _("Jenis istilah %(value)s tidak dikenal.")},
    )

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(CandidateField, self.fields["calon"])
        field.queryset = Candidate.objects.filter(election=election).order_by("number")
