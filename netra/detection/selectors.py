"""Reads of detection's own tables, flags scoped to the user asking."""

from __future__ import annotations

from django.db.models import QuerySet

from netra.detection.models import Flag, LexiconAlias
from netra.elections.models import Election
from netra.staff.access import scope_to_user
from netra.staff.types import AnyUser


def lexicon_aliases(election: Election) -> QuerySet[LexiconAlias]:
    """The aliases staff added to ``election``'s lexicon, in the order they were added."""
    return LexiconAlias.objects.filter(election=election).order_by("candidate_id", "id")


def flags_for_user(user: AnyUser | None) -> QuerySet[Flag]:
    """Flags whose region lies in the user's jurisdiction (``netra.staff.access``), highest
    priority first; none without a jurisdiction. Subject, agency and region come joined."""
    flags = Flag.objects.select_related("subject", "agency", "region", "election")
    return scope_to_user(flags, user, "region_id").order_by("-priority", "-id")
