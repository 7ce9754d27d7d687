"""Regulation as versioned data.

Every rule row names the regulation it comes from and the date it took effect
(``effective_from``), optionally when it stopped (``effective_until``), and how
sure we are of it (DOMAIN.md marks unconfirmed rules ⚠). Nothing here is a
constant in code: offices edit these rows in the admin as rules change.
"""

from __future__ import annotations

import datetime as dt
from typing import Self, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped


class Regime(models.TextChoices):
    PEMILU = "pemilu", _("Pemilu")
    PILKADA = "pilkada", _("Pemilihan (Pilkada)")


class Certainty(models.TextChoices):
    CONFIRMED = "confirmed", _("Terkonfirmasi")
    UNCONFIRMED = "unconfirmed", _("Belum terkonfirmasi")


class Regulation(TimeStamped):
    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    title = models.CharField(_("judul"), max_length=300)
    number = models.CharField(_("nomor"), max_length=200, blank=True)
    enacted_on = models.DateField(_("tanggal ditetapkan"), null=True, blank=True)
    source_url = models.URLField(_("sumber"), max_length=500, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("regulasi")
        verbose_name_plural = _("regulasi")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


_V = TypeVar("_V", bound="Versioned")


class InForceQuerySet(models.QuerySet[_V]):
    def in_force(self, on: dt.date) -> Self:
        """Rows that were in force on ``on``."""
        return self.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        )


class Versioned(TimeStamped):
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulasi"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("berlaku sejak"))
    effective_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    certainty = models.CharField(
        _("kepastian"), max_length=12, choices=Certainty.choices, default=Certainty.CONFIRMED
    )
    note = models.TextField(_("catatan"), blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="%(class)s_period_ordered",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        # The check constraint guards the database; this names the field for forms and the loader.
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until < self.effective_from
        ):
            raise ValidationError(
                {
                    "effective_until": gettext(
                        "Tanggal berlaku sampai tidak boleh sebelum tanggal berlaku sejak "
                        "(%(start)s)."
                    )
                    % {"start": self.effective_from.isoformat()}
                }
            )


class Track(models.TextChoices):
    ETHICS = "ethics", _("Etik")
    DISCIPLINE = "discipline", _("Disiplin")


class SanctionLevel(Versioned):
    code = models.SlugField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=120)
    track = models.CharField(_("jalur"), max_length=12, choices=Track.choices)
    rank = models.PositiveSmallIntegerField(
        _("urutan berat"), help_text=_("Makin besar makin berat.")
    )

    class Meta(Versioned.Meta):
        verbose_name = _("tingkat sanksi")
        verbose_name_plural = _("tingkat sanksi")
        ordering = ["rank", "code"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="sanctionlevel_code_version"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SanctionMeasure(Versioned):
    level = models.ForeignKey(
        SanctionLevel, verbose_name=_("tingkat"), on_delete=models.PROTECT, related_name="measures"
    )
    code = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama"), max_length=250)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta(Versioned.Meta):
        verbose_name = _("bentuk sanksi")
        verbose_name_plural = _("bentuk sanksi")
        ordering = ["level__rank", "order"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="sanctionmeasure_code_version"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ViolationType(Versioned):
    """One row of the ASN violation catalogue (SKB 2022 Lampiran II) with both tracks."""

    code = models.CharField(_("kode"), max_length=10)
    behaviour = models.TextField(_("perilaku"))
    social_media = models.BooleanField(_("perilaku media sosial"), default=False)
    ethics_level = models.ForeignKey(
        SanctionLevel,
        verbose_name=_("sanksi etik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discipline_level = models.ForeignKey(
        SanctionLevel,
        verbose_name=_("sanksi disiplin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)

    class Meta(Versioned.Meta):
        verbose_name = _("jenis pelanggaran")
        verbose_name_plural = _("katalog pelanggaran")
        ordering = ["code", "-effective_from"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="violationtype_code_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.behaviour[:60]}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update({name: " ".join(msgs) for name, msgs in error.message_dict.items()})
        # Each track must point at a level of that track, or the catalogue would promise a
        # moral sanction on the discipline track (or the reverse).
        for name, track in (("ethics_level", Track.ETHICS), ("discipline_level", Track.DISCIPLINE)):
            level = getattr(self, name)
            if level is not None and level.track != track:
                errors[name] = gettext("Tingkat %(code)s bukan tingkat jalur %(track)s.") % {
                    "code": level.code,
                    "track": track.label,
                }
        if self.ethics_level_id is None and self.discipline_level_id is None:
            errors["discipline_level"] = gettext("Isi sanksi etik atau sanksi disiplin.")
        if errors:
            raise ValidationError(errors)


class DayUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("hari kerja")
    CALENDAR_DAYS = "calendar_days", _("hari kalender")
    HOURS = "hours", _("jam")


class DeadlineStep(models.TextChoices):
    FILE_REPORT = "file_report", _("Penyampaian laporan")
    QUIET_PERIOD_INTAKE = (
        "quiet_period_intake",
        _("Penerimaan laporan pada masa tenang, pemungutan dan penghitungan suara"),
    )
    TEMUAN_PLENARY = "temuan_plenary", _("Penetapan temuan dalam pleno")
    INITIAL_REVIEW = "initial_review", _("Kajian awal")
    COMPLETION_NOTICE = "completion_notice", _("Pemberitahuan kelengkapan")
    COMPLETION_FIX = "completion_fix", _("Perbaikan kelengkapan oleh pelapor")
    HANDLING = "handling", _("Penanganan setelah registrasi")
    HANDLING_EXTENSION = "handling_extension", _("Perpanjangan penanganan")
    PPK_DECISION = "ppk_decision", _("Tindak lanjut oleh PPK")


class DeadlineRule(Versioned):
    regime = models.CharField(_("rezim"), max_length=10, choices=Regime.choices)
    step = models.CharField(_("tahap"), max_length=30, choices=DeadlineStep.choices)
    duration = models.PositiveSmallIntegerField(_("lama"))
    unit = models.CharField(_("satuan"), max_length=15, choices=DayUnit.choices)
    starts_from = models.CharField(_("dihitung sejak"), max_length=200)

    class Meta(Versioned.Meta):
        verbose_name = _("aturan tenggat")
        verbose_name_plural = _("aturan tenggat")
        ordering = ["regime", "step", "-effective_from"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["regime", "step", "effective_from"], name="deadlinerule_step_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_regime_display()}: {self.get_step_display()}"


class Outcome(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Pelanggaran administratif")
    CRIME = "crime", _("Tindak pidana pemilihan")
    ORGANISER_ETHICS = "organiser_ethics", _("Pelanggaran kode etik penyelenggara")
    OTHER_LAW_ASN = "other_law_asn", _("Pelanggaran hukum lainnya: netralitas ASN")
    OTHER_LAW_VILLAGE = "other_law_village", _("Pelanggaran hukum lainnya: perangkat desa")
    OTHER_LAW_TNI_POLRI = "other_law_tni_polri", _("Pelanggaran hukum lainnya: TNI/Polri")


class Recipient(Versioned):
    """The body that receives a recommendation or forwarding for one outcome."""

    outcome = models.CharField(_("hasil"), max_length=30, choices=Outcome.choices)
    regime = models.CharField(
        _("rezim"),
        max_length=10,
        choices=Regime.choices,
        blank=True,
        help_text=_("Kosong berarti berlaku untuk kedua rezim."),
    )
    code = models.SlugField(_("kode lembaga"), max_length=40)
    body = models.CharField(_("lembaga penerima"), max_length=250)
    copy_to = models.CharField(_("tembusan"), max_length=250, blank=True)
    # The copy can be less certain than the recipient itself (DOMAIN §4.6: BKN is confirmed,
    # the copy to Kemendagri for regional ASN is not), so it carries its own certainty.
    copy_to_certainty = models.CharField(
        _("kepastian tembusan"),
        max_length=12,
        choices=Certainty.choices,
        default=Certainty.CONFIRMED,
    )

    class Meta(Versioned.Meta):
        verbose_name = _("penerima rekomendasi")
        verbose_name_plural = _("penerima rekomendasi")
        ordering = ["outcome", "regime", "-effective_from"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["outcome", "regime", "effective_from"], name="recipient_outcome_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} → {self.body}"


class FormPurpose(models.TextChoices):
    SUPERVISION_REPORT = "supervision_report", _("Laporan hasil pengawasan")
    REPORT = "report", _("Formulir laporan")
    TEMUAN = "temuan", _("Formulir temuan")


class FormCode(Versioned):
    regime = models.CharField(_("rezim"), max_length=10, choices=Regime.choices, blank=True)
    purpose = models.CharField(_("kegunaan"), max_length=30, choices=FormPurpose.choices)
    code = models.CharField(_("kode formulir"), max_length=40)
    name = models.CharField(_("nama"), max_length=250)

    class Meta(Versioned.Meta):
        verbose_name = _("kode formulir")
        verbose_name_plural = _("kode formulir")
        ordering = ["purpose", "regime", "-effective_from"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["regime", "purpose", "effective_from"], name="formcode_purpose_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class SubjectGroup(models.TextChoices):
    """Whom a prohibition binds, as the statutes group them (the registry's subject kinds
    map onto these: PNS and PPPK are ASN; village heads, officials and BPD are village)."""

    ASN = "asn", _("ASN (PNS dan PPPK)")
    VILLAGE = "village", _("Kepala desa, perangkat desa dan BPD")
    TNI = "tni", _("TNI")
    POLRI = "polri", _("Polri")


class ProhibitionScope(models.TextChoices):
    """When a prohibition applies, relative to the campaign stage of an election."""

    ANY_TIME = "any_time", _("Sebelum, selama dan sesudah masa kampanye")
    CAMPAIGN = "campaign", _("Hanya selama masa kampanye")


class Prohibition(Versioned):
    """The statute that forbids one group of subjects partisan acts in one regime.

    The SKB catalogue (``ViolationType``) says which behaviours of ASN are violations; these
    rows say which articles of the election laws (and the laws of each corps) a partisan
    act breaks, for every kind of subject, and whether only during the campaign stage
    (UU 7/2017 Pasal 282, 490, 494) or at any time (Pasal 283). A blank regime means both.
    """

    code = models.SlugField(_("kode"), max_length=40)
    subject_group = models.CharField(
        _("kelompok subjek"), max_length=10, choices=SubjectGroup.choices
    )
    regime = models.CharField(
        _("rezim"),
        max_length=10,
        choices=Regime.choices,
        blank=True,
        help_text=_("Kosong berarti berlaku untuk kedua rezim."),
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    scope = models.CharField(
        _("berlaku pada"),
        max_length=10,
        choices=ProhibitionScope.choices,
        default=ProhibitionScope.ANY_TIME,
    )
    offence = models.CharField(
        _("ketentuan pidana"),
        max_length=300,
        blank=True,
        help_text=_("Pasal pidana pemilihan bila ada; kosong bila bukan tindak pidana."),
    )

    class Meta(Versioned.Meta):
        verbose_name = _("larangan menurut subjek")
        verbose_name_plural = _("larangan menurut subjek")
        ordering = ["subject_group", "regime", "code", "-effective_from"]
        constraints = [
            *Versioned.Meta.constraints,
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="prohibition_code_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_group_display()}: {self.legal_basis}"
