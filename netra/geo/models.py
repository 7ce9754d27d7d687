"""Kemendagri administrative regions. Jurisdiction everywhere is a code prefix."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Kelurahan/Desa")


# Number of dot-separated parts of a code at each level (PP, PP.KK, PP.KK.CC, PP.KK.CC.DDDD).
LEVEL_BY_PARTS = {1: Level.PROVINCE, 2: Level.REGENCY, 3: Level.DISTRICT, 4: Level.VILLAGE}
CODE_REGEX = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
NAME_MAX_LENGTH = 120


class Region(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=NAME_MAX_LENGTH)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=CODE_REGEX), name="region_code_shape"),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True)
                | (~Q(level=Level.PROVINCE) & Q(parent__isnull=False)),
                name="region_parent_unless_province",
            ),
        ]
        indexes = [
            # Region pickers list the children of one region at one level.
            models.Index(fields=["level", "name"], name="region_level_name"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def village_kind(self) -> str:
        """kelurahan, desa or desa adat, from the first digit of DDDD; '' above village level."""
        if self.level != Level.VILLAGE:
            return ""
        return {"1": "kelurahan", "2": "desa", "3": "desa adat"}.get(self.code[-4], "")


def covers(prefix: str | None, code: str | None) -> bool:
    """Whether an office at ``prefix`` covers a region ``code``.

    ``None`` as prefix is the national office, which covers everything. A prefix
    covers itself and its descendants: ``35.07`` covers ``35.07.01`` but never ``35.73``
    nor ``35.070``.
    """
    if prefix is None:
        return True
    if not code:
        return False
    return code == prefix or code.startswith(prefix + ".")


def ancestor_codes(code: str) -> list[str]:
    """The codes above ``code``, widest first: ``35.07.01`` -> ``["35", "35.07"]``."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def within_q(field: str, prefix: str | None) -> Q:
    """A filter keeping rows whose region code field lies within ``prefix``.

    ``field`` names a region code path, e.g. ``"code"`` or ``"workplace__code"`` (Django
    allows no ``startswith`` on a foreign-key column itself; ``staff.access.scope_to_user``
    takes care of that). A None prefix keeps every row.
    """
    if prefix is None:
        return Q()
    return Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})
