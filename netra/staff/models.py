"""Bawaslu offices, staff users and their roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
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
                violation_error_message=_(
                    "Bawaslu RI tidak memiliki wilayah; kantor tingkat lain wajib memiliki wilayah."
                ),
            ),
            models.UniqueConstraint(fields=["level", "region"], name="office_one_per_region"),
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(level=OfficeLevel.RI),
                name="office_one_ri",
                violation_error_message=_("Kantor Bawaslu RI sudah ada; hanya boleh ada satu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """An office sits at a region of its own level (a Panwaslu Kecamatan at a kecamatan)."""
        super().clean()
        expected = REGION_LEVEL.get(OfficeLevel(self.level)) if self.level else None
        if expected is None or self.region is None:
            # RI, or a missing region: the office_region_unless_ri constraint reports it.
            return
        if self.region.level != expected:
            raise ValidationError(
                {
                    "region": _(
                        "Kantor tingkat %(office_level)s harus berada di wilayah tingkat "
                        "%(expected)s, bukan %(actual)s (%(region)s)."
                    )
                    % {
                        "office_level": OfficeLevel(self.level).label,
                        "expected": expected.label,
                        "actual": self.region.get_level_display(),
                        "region": self.region,
                    }
                },
                code="region_level",
            )

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
        # The stubs type AbstractUser.Meta's names as str; Django accepts lazy text here.
        verbose_name = _("pengguna")  # type: ignore[assignment]
        verbose_name_plural = _("pengguna")  # type: ignore[assignment]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(office__isnull=False),
                name="user_role_needs_office",
                violation_error_message=_(
                    "Pengguna yang memiliki peran wajib terdaftar di kantor."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        """A role needs an office; a partner names the organisation they come from."""
        super().clean()
        errors: dict[str, Any] = {}
        if self.role and self.office_id is None:
            errors["office"] = _("Pilih kantor untuk pengguna dengan peran %(role)s.") % {
                "role": self.get_role_display()
            }
        if self.role == Role.PARTNER and not self.organisation.strip():
            errors["organisation"] = _("Mitra pokja wajib mencantumkan organisasinya.")
        if errors:
            raise ValidationError(errors)

    @property
    def requires_two_factor(self) -> bool:
        """Whether this user must pass a TOTP check after the password.

        True for roles above field supervisor and for anyone who may enter the admin
        (superusers and ``is_staff``): reference data and accounts are edited there.
        """
        from netra.staff.rules import TWO_FACTOR_ROLES  # rules imports this module

        return self.is_superuser or self.is_staff or self.role in TWO_FACTOR_ROLES
