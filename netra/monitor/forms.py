"""Forms of the social pages: searches, uploads, a manual entry.

Forms read and check input only; what a value means (a URL's platform id, a screenshot's
type) is decided in ``services``, whose ValidationError the views put on the form.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from netra.core.platforms import Platform
from netra.elections.models import Election
from netra.monitor.pages import MAX_KEY
from netra.monitor.selectors import WIB, ItemFilters
from netra.social.models import ItemKind, Source
from netra.social.sources.registry import FORMATS

_ANY = [("", _("Semua"))]

# The days a search or an entry may name. Outside them a WIB day has no UTC equivalent
# (0001-01-01) or none a database stores (9999-12-31 plus a day); nothing on social media
# is older than the first or newer than the last.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2100, 12, 31)
_DAY_RANGE = _("Tanggal harus antara 01-01-1970 dan 31-12-2100.")
_DAYS = [
    MinValueValidator(FIRST_DAY, message=_DAY_RANGE),
    MaxValueValidator(LAST_DAY, message=_DAY_RANGE),
]
_BAD_ACCOUNT = _("Akun yang dipilih tidak sah.")
_BAD_SOURCE = _("Sumber yang dipilih tidak ada dalam wilayah Anda.")


def _key_field(message: StrOrPromise) -> forms.IntegerField:
    """A hidden row key: any value no row could have gets ``message``."""
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_KEY,
        widget=forms.HiddenInput,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def format_choices() -> list[tuple[str, str]]:
    """Every registered format, after "detect from the file"."""
    return [("", str(_("Kenali otomatis dari isi berkas"))), *_formats()]


def rerun_format_choices() -> list[tuple[str, str]]:
    """Every registered format, after "the old file's" (what an empty choice means there)."""
    return [("", str(_("Sama dengan berkas lama"))), *_formats()]


def _formats() -> list[tuple[str, str]]:
    return [(name, f"{name} — {spec.label}") for name, spec in sorted(FORMATS.items())]


class _ElectionChoiceField(forms.ModelChoiceField[Election]):
    def label_from_instance(self, obj: Election) -> str:
        return f"{obj.name} ({obj.year})"


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=_("Teks memuat"), required=False, max_length=200)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=_ANY + list(Platform.choices)
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=_ANY + list(ItemKind.choices)
    )
    author = forms.CharField(label=_("Nama akun penulis"), required=False, max_length=200)
    account = _key_field(_BAD_ACCOUNT)
    source = _key_field(_BAD_SOURCE)
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        validators=_DAYS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        validators=_DAYS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    election = _ElectionChoiceField(
        label=_("Pemilihan"),
        required=False,
        queryset=Election.objects.none(),
        empty_label=_("Semua"),
    )
    registered = forms.BooleanField(
        label=_("Hanya akun subjek terdaftar"),
        required=False,
        help_text=_("Akun yang terkonfirmasi milik ASN, perangkat desa, TNI atau Polri."),
    )

    def __init__(
        self,
        *args: Any,
        elections: QuerySet[Election],
        sources: QuerySet[Source] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["election"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = elections
        self._sources = Source.objects.none() if sources is None else sources

    def clean_source(self) -> Source | None:
        """The source asked for, if the user may see it (else the same error as a bad key:
        whether another office's source exists is not told)."""
        key = self.cleaned_data.get("source")
        if key is None:
            return None
        source = self._sources.filter(pk=key).first()
        if source is None:
            raise ValidationError(_BAD_SOURCE, code="source")
        return source

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir lebih awal dari tanggal mulai."))
        return data

    def filters(self) -> ItemFilters:
        """The search as the selector takes it; call after ``is_valid``."""
        data = self.cleaned_data
        return ItemFilters(
            text=(data.get("q") or "").strip(),
            platform=data.get("platform") or "",
            kind=data.get("kind") or "",
            author=(data.get("author") or "").strip(),
            account_id=data.get("account"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            election=data.get("election"),
            registered=bool(data.get("registered")),
            source=data.get("source"),
        )


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("Nama akun atau nama tampilan"), required=False, max_length=200)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=_ANY + list(Platform.choices)
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas"),
        error_messages={"required": _("Pilih berkas yang akan dimuat.")},
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=format_choices)
    election = _ElectionChoiceField(
        label=_("Pemilihan"),
        required=False,
        queryset=Election.objects.none(),
        empty_label=_("Tidak terkait pemilihan tertentu"),
    )

    def __init__(self, *args: Any, elections: QuerySet[Election], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["election"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = elections


class RerunForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas yang sudah diperbaiki"),
        error_messages={"required": _("Pilih berkas perbaikan yang akan dimuat.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=rerun_format_choices,
        help_text=_("Kosongkan untuk memakai format berkas lama."),
    )


class QuarantineFilterForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Sumber"),
        required=False,
        queryset=Source.objects.none(),
        empty_label=_("Semua sumber"),
    )

    def __init__(self, *args: Any, sources: QuerySet[Source], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = sources


class ManualItemForm(forms.Form):
    url = forms.URLField(
        label=_("Tautan konten"),
        max_length=1000,
        assume_scheme="https",
        error_messages={
            "required": _("Tempel tautan konten yang Anda lihat."),
            "invalid": _("Tautan tidak sah; salin alamat lengkap yang diawali https://."),
        },
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=[("", _("Kenali dari tautan")), *Platform.choices],
    )
    author_handle = forms.CharField(
        label=_("Nama akun penulis"),
        max_length=200,
        error_messages={"required": _("Isi nama akun yang mengunggah konten ini.")},
    )
    text = forms.CharField(
        label=_("Teks konten"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    created_at = forms.DateTimeField(
        label=_("Waktu unggah (WIB)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "invalid": _("Waktu tidak sah; isi tanggal dan jam, misalnya 2024-11-20 14:30.")
        },
    )
    screenshot = forms.FileField(
        label=_("Tangkapan layar (PNG, JPEG atau WebP, paling besar 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    election = _ElectionChoiceField(
        label=_("Pemilihan"),
        required=False,
        queryset=Election.objects.none(),
        empty_label=_("Tidak terkait pemilihan tertentu"),
    )

    def __init__(self, *args: Any, elections: QuerySet[Election], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["election"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = elections

    def clean_created_at(self) -> datetime | None:
        """The time typed, read as WIB whatever zone the request runs in, within the days a
        search may name (``FIRST_DAY`` to ``LAST_DAY``)."""
        value: datetime | None = self.cleaned_data.get("created_at")
        if value is None:
            return None
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        if not FIRST_DAY <= value.date() <= LAST_DAY:
            raise ValidationError(
                _("Waktu harus antara 01-01-1970 dan 31-12-2100."), code="out_of_range"
            )
        return value.replace(tzinfo=WIB)

    def clean_platform(self) -> str:
        return str(self.cleaned_data.get("platform") or "")
