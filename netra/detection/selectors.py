"""Reads of detection's own tables."""

from __future__ import annotations

from django.db.models import QuerySet

from netra.detection.models import LexiconAlias
from netra.elections.models import Election


def lexicon_aliases(election: Election) -> QuerySet[LexiconAlias]:
    """The aliases staff added to ``election``'s lexicon, in the order they were added."""
    return LexiconAlias.objects.filter(election=election).order_by("candidate_id", "id")
