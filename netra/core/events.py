"""Writing to the Event timeline: the one call every service makes per state change.

Kinds are members of a ``StrEnum`` in the ``events.py`` of the app that writes them
(``StaffEvent.USER_CREATED`` is ``"staff.user_created"``), never free strings: a test walks
every ``event_record`` call and fails on a kind written as a string or an f-string.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from netra.core.models import Event


def event_record(
    *,
    kind: StrEnum,
    subject: models.Model | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    params: dict[str, Any] | None = None,
) -> Event:
    """Append one event. ``actor`` is a user, or None (system, import); anonymous is None."""
    event = Event(kind=str(kind), params=params or {})
    if isinstance(actor, AbstractBaseUser):
        event.actor_id = actor.pk
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
