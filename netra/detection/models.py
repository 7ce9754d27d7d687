"""Detection's tables: the aliases staff add to an election's lexicon."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from netra.elections.models import Candidate, Election


class TermKind(models.TextChoices):
    """What a lexicon term is of its candidate (also the kind of a match)."""

    NAME = "name", _("nama")
    ALIAS = "alias", _("alias atau julukan")
    NUMBER = "number", _("nomor urut")
    ACRONYM = "acronym", _("singkatan pasangan")
    SLOGAN = "slogan", _("slogan")
    HASHTAG = "hashtag", _("tagar")
    ACCOUNT = "account", _("akun")
    PARTY = "party", _("partai")


# Ballot numbers come from the candidate itself; staff add every other kind.
ALIAS_KINDS = [kind for kind in TermKind if kind != TermKind.NUMBER]


class LexiconAlias(models.Model):
    """A term staff saw used for a candidate ("Mas Bagus", "#BaRa"), added to the lexicon
    of the candidate's election. Rows are added and deleted, never edited by a service."""

    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("calon"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.CharField(_("istilah"), max_length=200)
    kind = models.CharField(
        _("jenis istilah"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in ALIAS_KINDS],
        default=TermKind.ALIAS,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditambahkan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("alias leksikon")
        verbose_name_plural = _("alias leksikon")
        ordering = ["election", "candidate", "term"]
        constraints = [
            models.UniqueConstraint(
                "candidate",
                Lower("term"),
                name="lexiconalias_unique_term_per_candidate",
                violation_error_message=_("Istilah ini sudah ada untuk calon tersebut."),
            ),
        ]
        indexes = [
            # The aliases of one election, read each time its lexicon is checked for changes.
            models.Index(fields=["election", "candidate"], name="lexiconalias_election"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        self.term = " ".join(self.term.split())
        if (
            self.candidate_id is not None
            and self.election_id is not None
            and self.candidate.election_id != self.election_id
        ):
            raise ValidationError(
                {"candidate": _("Calon ini tidak ikut dalam pemilihan yang dipilih.")}
            )
