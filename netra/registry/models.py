"""Who is watched: agencies, subjects (civil servants, village officials, TNI/Polri), and
the links between subjects and their social-media accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped
from netra.elections.models import Candidate
from netra.geo.models import Region
from netra.social.models import Account, AccountSnapshot, Item


class Agency(TimeStamped):
    """An instansi: a ministry, a regional government body, a school, a village office."""

    name = models.CharField(_("nama"), max_length=250)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="agencies"
    )

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class SubjectKind(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")
    VILLAGE_HEAD = "village_head", _("Kepala desa")
    VILLAGE_OFFICIAL = "village_official", _("Perangkat desa")
    BPD = "bpd", _("Anggota BPD")
    TNI = "tni", _("TNI")
    POLRI = "polri", _("Polri")


ASN_KINDS = frozenset({SubjectKind.PNS, SubjectKind.PPPK})
SECURITY_KINDS = frozenset({SubjectKind.TNI, SubjectKind.POLRI})


class Subject(TimeStamped):
    kind = models.CharField(_("jenis"), max_length=20, choices=SubjectKind.choices)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    # NIP: 18 digits for PNS and PPPK. NRP: TNI and Polri service number.
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    nrp = models.CharField(_("NRP"), max_length=20, blank=True)
    position = models.CharField(_("jabatan"), max_length=250, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    workplace = models.ForeignKey(
        Region,
        verbose_name=_("wilayah tempat kerja"),
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("subjek")
        verbose_name_plural = _("subjek")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="subject_unique_nip"
            ),
            models.UniqueConstraint(
                fields=["kind", "nrp"], condition=~Q(nrp=""), name="subject_unique_nrp"
            ),
            models.CheckConstraint(
                condition=Q(nip="") | Q(nip__regex=r"^\d{18}$"), name="subject_nip_18_digits"
            ),
            models.CheckConstraint(
                condition=Q(nip="") | Q(kind__in=sorted(ASN_KINDS)), name="subject_nip_only_asn"
            ),
            models.CheckConstraint(
                condition=Q(nrp="") | Q(kind__in=sorted(SECURITY_KINDS)),
                name="subject_nrp_only_tni_polri",
            ),
        ]
        indexes = [
            # Jurisdiction-scoped subject lists: workplace code prefix, then name.
            models.Index(fields=["workplace", "full_name"], name="subject_workplace_name"),
        ]

    def __str__(self) -> str:
        return self.full_name


class CandidateRelation(models.Model):
    """A known tie between a subject and a candidate (family, former team, appointee…)."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("subjek"), on_delete=models.CASCADE, related_name="relations"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("calon"), on_delete=models.CASCADE, related_name="relations"
    )
    relation = models.CharField(_("hubungan"), max_length=200)

    class Meta:
        verbose_name = _("hubungan dengan calon")
        verbose_name_plural = _("hubungan dengan calon")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "candidate", "relation"], name="candidaterelation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.candidate}: {self.relation}"


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    REJECTED = "rejected", _("Ditolak")


@dataclass(frozen=True, slots=True)
class LinkReason:
    """One reason why an account may be a subject's, as a proposal stores and shows it.

    ``kind`` names the cue (``display_name``, ``nip``, ``position`` …), ``text`` says it in
    Indonesian, ``evidence`` is the snippet of the profile that showed it and ``field`` where
    that snippet stands (``bio``, ``display_name``, ``handle``). ``weight`` is the share of
    the score the reason brought, negative for a reason that speaks against the link.
    """

    kind: str
    text: str
    evidence: str
    weight: float
    field: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "evidence": self.evidence,
            "weight": self.weight,
            "field": self.field,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> LinkReason:
        return cls(
            kind=str(value.get("kind", "")),
            text=str(value.get("text", "")),
            evidence=str(value.get("evidence", "")),
            weight=float(value.get("weight", 0.0)),
            field=str(value.get("field", "")),
        )

    @property
    def percent(self) -> int:
        """The weight as a signed whole percentage, for the review page."""
        return round(self.weight * 100)


class AccountLink(TimeStamped):
    """The claim that a social-media account belongs to a subject, with its proof.

    ``proof`` is the proof in words; ``proof_snapshot`` and ``proof_item`` point at the
    profile as seen, or the post, that showed it, when there is one. ``reasons`` holds the
    reasons a linkage proposal gave (``LinkReason.as_json`` each), for the reviewer.
    """

    subject = models.ForeignKey(
        Subject, verbose_name=_("subjek"), on_delete=models.CASCADE, related_name="account_links"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="subject_links"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.PROPOSED
    )
    confidence = models.DecimalField(_("keyakinan"), max_digits=4, decimal_places=3)
    proof = models.TextField(_("bukti"), blank=True)
    # RESTRICT, not PROTECT: deleting an account deletes its snapshots and its links together.
    proof_snapshot = models.ForeignKey(
        AccountSnapshot,
        verbose_name=_("bukti: profil terlihat"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    proof_item = models.ForeignKey(
        Item,
        verbose_name=_("bukti: konten"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    reasons = models.JSONField(_("alasan usulan"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tautan akun")
        verbose_name_plural = _("tautan akun")
        constraints = [
            models.UniqueConstraint(fields=["subject", "account"], name="accountlink_unique"),
            # An account can belong to at most one person once confirmed.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status="confirmed"),
                name="accountlink_one_confirmed_owner",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="accountlink_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="accountlink_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ↔ {self.account} ({self.get_status_display()})"

    @property
    def reason_list(self) -> list[LinkReason]:
        """The stored reasons, strongest first."""
        stored = self.reasons if isinstance(self.reasons, list) else []
        rows = [LinkReason.from_json(r) for r in stored if isinstance(r, dict)]
        return sorted(rows, key=lambda r: -abs(r.weight))
