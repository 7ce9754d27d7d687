from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Kode verifikasi"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
