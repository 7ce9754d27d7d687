"""Bawaslu offices, staff users and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped
from netra.geo.models import Level, Region


class OfficeLevel(models.TextChoices):
    RI = "ri", _("Bawaslu RI")
    PROVINCE = "province", _("Bawaslu Provinsi")
    REGENCY = "regency", _("Bawaslu Kabupaten/Kota")
    DISTRICT = "district", _("Panwaslu Kecamatan")
    VILLAGE = "village", _("Panwaslu Kelurahan/Desa")


# The region level an office of each level sits at (RI sits at none: it covers all).
REGION_LEVEL = {
    OfficeLevel.PROVINCE: Level.PROVINCE,
    OfficeLevel.REGENCY: Level.REGENCY,
    OfficeLevel.DISTRICT: Level.DISTRICT,
    OfficeLevel.VILLAGE: Level.VILLAGE,
}


class Office(TimeStamped):
    name = models.CharField(_("nama"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=10, choices=OfficeLevel.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
    )

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=OfficeLevel.RI, region__isnull=True)
                | (~Q(level=OfficeLevel.RI) & Q(region__isnull=False)),
                name="office_region_unless_ri",
            ),
            models.UniqueConstraint(fields=["level", "region"], name="office_one_per_region"),
            models.UniqueConstraint(
                fields=["level"], condition=Q(level=OfficeLevel.RI), name="office_one_ri"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction(self) -> str | None:
        """The region-code prefix this office covers; None for Bawaslu RI (everything)."""
        return self.region_id


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COMMISSIONER = "commissioner", _("Komisioner")
    ANALYST = "analyst", _("Analis")
    FIELD_SUPERVISOR = "field_supervisor", _("Pengawas lapangan")
    IDENTITY_CUSTODIAN = "identity_custodian", _("Penjaga identitas pelapor")
    PARTNER = "partner", _("Mitra pokja")


# Roles above field supervisor must pass a TOTP check after the password.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.COMMISSIONER, Role.ANALYST, Role.IDENTITY_CUSTODIAN})


class User(AbstractUser):
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("kantor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.CharField(
        _("organisasi mitra"),
        max_length=200,
        blank=True,
        help_text=_("Untuk mitra pokja: media, BKPSDM atau Kominfo."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(office__isnull=False), name="user_role_needs_office"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def requires_two_factor(self) -> bool:
        return self.is_superuser or self.role in TWO_FACTOR_ROLES
