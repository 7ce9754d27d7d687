"""Indonesian names for the third-party apps behind staff sign-in: django-otp and django-axes.

Their own AppConfigs carry no translatable ``verbose_name`` (the admin would show
"Otp_Totp"), so ``INSTALLED_APPS`` names these subclasses instead. django-otp also writes
its model and field labels as plain English strings, which no catalogue can reach;
``make_labels_translatable`` wraps each one, unchanged, in ``pgettext_lazy`` so that the
entries of ``netra/locale/id/LC_MESSAGES/django.po`` (context ``django-otp``) apply. The
English text stays the msgid, so migrations, which run with translations off, see no
change to those apps' models.
"""

from __future__ import annotations

from axes import apps as axes_apps
from django.apps import AppConfig
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps

# The msgctxt of django-otp's labels in the catalogue: "name", "key" or "token" alone are
# too common to translate for every app at once.
OTP_CONTEXT = "django-otp"


def _translatable(text: object, context: str) -> object:
    # The English text itself, also where Django derived it lazily (a default plural is
    # format_lazy("{}s", verbose_name)): with translations off, str() gives the msgid.
    if not isinstance(text, str | Promise):
        return text
    with translation.override(None):
        msgid = str(text)
    return pgettext_lazy(context, msgid) if msgid else text


def make_labels_translatable(app_config: AppConfig, context: str) -> None:
    """Make the English model and field labels of ``app_config`` translatable under ``context``.

    Wraps ``verbose_name``, ``verbose_name_plural`` and each concrete field's
    ``verbose_name`` and ``help_text`` in ``pgettext_lazy`` of their English text. For apps
    that do not translate their own labels (django-otp); idempotent.
    """
    for model in app_config.get_models():
        meta = model._meta
        meta.verbose_name = _translatable(meta.verbose_name, context)  # type: ignore[assignment]
        meta.verbose_name_plural = _translatable(  # type: ignore[assignment]
            meta.verbose_name_plural, context
        )
        for field in meta.get_fields():
            if isinstance(field, models.Field):
                field.verbose_name = _translatable(field.verbose_name, context)  # type: ignore[assignment]
                field.help_text = _translatable(field.help_text, context)  # type: ignore[assignment]


class TOTPConfig(otp_totp_apps.DefaultConfig):  # type: ignore[misc]  # django-otp is untyped
    verbose_name = _("Verifikasi dua langkah (TOTP)")

    def ready(self) -> None:
        super().ready()
        make_labels_translatable(self, OTP_CONTEXT)


class StaticConfig(otp_static_apps.DefaultConfig):  # type: ignore[misc]
    verbose_name = _("Kode cadangan verifikasi dua langkah")

    def ready(self) -> None:
        super().ready()
        make_labels_translatable(self, OTP_CONTEXT)


class AxesConfig(axes_apps.AppConfig):  # type: ignore[misc]  # django-axes is untyped
    # django-axes translates its model labels itself (gettext); only the app has no name.
    verbose_name = _("Penguncian login (django-axes)")
