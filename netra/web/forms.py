"""Forms of the web app's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LawDateForm(forms.Form):
    """The date whose rules the law catalogue marks as in force (empty: today)."""

    tanggal = forms.DateField(
        label=_("Berlaku pada tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal sebagai TTTT-BB-HH, misalnya 2024-11-27.")},
    )
