"""Forms of the login and two-factor pages."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form (which passes ``request`` to authenticate, as django-axes needs)
    with our Indonesian wording."""

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator kantor Anda."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class TokenForm(forms.Form):
    """A six-digit TOTP code; spaces are dropped, as authenticator apps show "123 456"."""

    token = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=12,
        error_messages={"required": _("Masukkan kode 6 angka.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split())
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."), code="invalid")
        return token
