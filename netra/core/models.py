"""The base model and the append-only Event timeline that every service writes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row of an append-only table."""


class Event(models.Model):
    """One state change: what happened (kind, params), who did it, when, to what.

    Rows are never updated or deleted; corrections are new events.
    """

    kind = models.CharField(_("jenis"), max_length=80)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("jenis objek"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Text so that it holds both integer keys and region codes.
    subject_id = models.CharField(_("id objek"), max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        verbose_name = _("peristiwa")
        verbose_name_plural = _("peristiwa")
        ordering = ["-at", "-id"]
        indexes = [
            # The timeline of one object, newest first (object pages, audits).
            models.Index(fields=["subject_type", "subject_id", "-at"], name="event_subject_at"),
            # Activity of one kind over time (dashboards, audits).
            models.Index(fields=["kind", "-at"], name="event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Event rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Event rows are append-only")
