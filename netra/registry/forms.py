"""Forms of the registry's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netra.registry.models import LinkStatus


class LinkDecisionForm(forms.Form):
    """A reviewer's decision on one proposed account link."""

    keputusan = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (LinkStatus.CONFIRMED.value, _("Konfirmasi")),
            (LinkStatus.REJECTED.value, _("Tolak")),
        ],
        error_messages={
            "required": _("Pilih keputusan: konfirmasi atau tolak."),
            "invalid_choice": _("Keputusan %(value)s tidak dikenal: pilih konfirmasi atau tolak."),
        },
    )
