"""Elections, their stages and candidates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped
from netra.core.platforms import Platform
from netra.geo.models import Region
from netra.law.models import Regime


class ElectionType(models.TextChoices):
    PRESIDENT = "president", _("Presiden dan Wakil Presiden")
    DPR = "dpr", _("DPR")
    DPD = "dpd", _("DPD")
    DPRD_PROVINCE = "dprd_province", _("DPRD Provinsi")
    DPRD_REGENCY = "dprd_regency", _("DPRD Kabupaten/Kota")
    GOVERNOR = "governor", _("Gubernur dan Wakil Gubernur")
    REGENT = "regent", _("Bupati dan Wakil Bupati")
    MAYOR = "mayor", _("Wali Kota dan Wakil Wali Kota")


PILKADA_TYPES = frozenset({ElectionType.GOVERNOR, ElectionType.REGENT, ElectionType.MAYOR})


class Election(TimeStamped):
    slug = models.SlugField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    regime = models.CharField(_("rezim"), max_length=10, choices=Regime.choices)
    type = models.CharField(_("jenis"), max_length=20, choices=ElectionType.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elections",
        help_text=_("Kosong untuk pemilihan nasional."),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))

    class Meta:
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        ordering = ["-year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(type__in=sorted(PILKADA_TYPES)) | Q(regime=Regime.PILKADA),
                name="election_pilkada_types_in_pilkada",
            ),
            models.CheckConstraint(
                condition=Q(type__in=sorted(PILKADA_TYPES)) | Q(regime=Regime.PEMILU),
                name="election_pemilu_types_in_pemilu",
            ),
            models.CheckConstraint(
                condition=~Q(type__in=sorted(PILKADA_TYPES)) | Q(region__isnull=False),
                name="election_pilkada_has_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    CANDIDATE_REGISTRATION = "candidate_registration", _("Pendaftaran pasangan calon")
    CANDIDATE_DETERMINATION = "candidate_determination", _("Penetapan pasangan calon")
    NUMBER_DRAW = "number_draw", _("Pengundian nomor urut")
    CAMPAIGN = "campaign", _("Masa kampanye")
    QUIET_PERIOD = "quiet_period", _("Masa tenang")
    VOTING = "voting", _("Pemungutan suara")
    COUNT_RECAP = "count_recap", _("Penghitungan dan rekapitulasi")
    OTHER = "other", _("Lainnya")


class Stage(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("jenis tahapan"), max_length=30, choices=StageKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))

    class Meta:
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")
        ordering = ["election", "starts_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="stage_dates_ordered"
            ),
            models.UniqueConstraint(fields=["election", "kind", "name"], name="stage_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y})"


class Candidate(TimeStamped):
    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="candidates"
    )
    number = models.PositiveSmallIntegerField(_("nomor urut"))
    name = models.CharField(_("nama calon"), max_length=200)
    running_mate = models.CharField(_("nama wakil"), max_length=200, blank=True)
    party_or_coalition = models.CharField(
        _("partai atau gabungan partai"), max_length=300, blank=True
    )
    independent = models.BooleanField(_("calon perseorangan"), default=False)
    aliases = models.JSONField(_("alias"), default=list, blank=True)
    hashtags = models.JSONField(_("tagar"), default=list, blank=True)
    slogans = models.JSONField(_("slogan"), default=list, blank=True)

    class Meta:
        verbose_name = _("calon")
        verbose_name_plural = _("calon")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="candidate_unique_number"),
        ]

    def __str__(self) -> str:
        pair = f"{self.name} – {self.running_mate}" if self.running_mate else self.name
        return f"{self.number}. {pair}"


class CandidateAccount(models.Model):
    """An official social-media account of a candidate or their campaign team."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("calon"), on_delete=models.CASCADE, related_name="accounts"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("nama akun"), max_length=200)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    is_campaign_team = models.BooleanField(_("akun tim pemenangan"), default=False)

    class Meta:
        verbose_name = _("akun resmi calon")
        verbose_name_plural = _("akun resmi calon")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "platform", "handle"], name="candidateaccount_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"
