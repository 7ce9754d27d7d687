"""Platform accounts. Items and interactions join them in the ingestion work."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    THREADS = "threads", "Threads"
    OTHER = "other", _("Lainnya")


class Account(TimeStamped):
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    platform_id = models.CharField(
        _("ID platform"),
        max_length=100,
        blank=True,
        help_text=_("ID tetap dari platform; nama akun bisa berganti."),
    )
    handle = models.CharField(_("nama akun"), max_length=200, blank=True)
    display_name = models.CharField(_("nama tampilan"), max_length=300, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("akun media sosial")
        verbose_name_plural = _("akun media sosial")
        ordering = ["platform", "handle"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(platform_id="") | ~Q(handle=""), name="account_has_id_or_handle"
            ),
            models.UniqueConstraint(
                fields=["platform", "platform_id"],
                condition=~Q(platform_id=""),
                name="account_unique_platform_id",
            ),
        ]
        indexes = [
            # Looking an account up by its handle when the platform id is unknown (manual entry).
            models.Index(fields=["platform", "handle"], name="account_platform_handle"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle or self.platform_id}"
