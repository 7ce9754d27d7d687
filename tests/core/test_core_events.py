from __future__ import annotations

import pytest

from netra.core.events import event_record, events_for
from netra.core.models import AppendOnlyError, Event
from netra.geo.models import Region
from netra.staff.models import User
from tests.kinds import Kind


def test_an_event_records_kind_params_actor_and_subject(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    actor = personas["malang_analyst"]
    event = event_record(
        kind=Kind.REGION_RENAMED, subject=regions["35.07.01"], actor=actor, params={"old": "A"}
    )
    event.refresh_from_db()
    assert (event.kind, event.params, event.actor, event.subject) == (
        "geo.region_renamed",
        {"old": "A"},
        actor,
        regions["35.07.01"],
    )
    assert list(events_for(regions["35.07.01"])) == [event]
    assert list(events_for(regions["35.07"])) == []


@pytest.mark.django_db
def test_an_anonymous_actor_is_stored_as_no_actor() -> None:
    from django.contrib.auth.models import AnonymousUser

    event = event_record(kind=Kind.TIP_RECEIVED, actor=AnonymousUser())
    assert event.actor is None


@pytest.mark.django_db
def test_events_can_be_neither_changed_nor_deleted() -> None:
    event = event_record(kind=Kind.CORE_TEST)
    event.kind = "core.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert Event.objects.get(pk=event.pk).kind == "core.test"
