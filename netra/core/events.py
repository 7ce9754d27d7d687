"""Writing to the Event timeline: the one call every service makes per state change."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from netra.core.models import Event


def event_record(
    *,
    kind: str,
    subject: models.Model | None = None,
    actor: Any = None,
    params: dict[str, Any] | None = None,
) -> Event:
    """Append one event. ``actor`` is a user or None (system, import, anonymous)."""
    event = Event(kind=kind, params=params or {})
    if actor is not None and getattr(actor, "is_authenticated", False):
        event.actor = actor
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject)
        event.subject_id = str(subject.pk)
    event.full_clean()
    event.save()
    return event


def events_for(subject: models.Model) -> models.QuerySet[Event]:
    """The timeline of one object, newest first."""
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).select_related("actor")
