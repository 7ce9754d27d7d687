"""What the campaign classifier says of one text in the context of one election.

The rules (``netra.detection.flagging``) read a ``Verdict``; the classifier
(``netra.detection.classify``) writes it. It is plain data, so the rules can be given one
directly and a flag can keep it as its explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ContentClass(StrEnum):
    """What a text is, for an election."""

    CAMPAIGN = "campaign"  # support for or attack on a candidate, a call to (not) vote
    POLITICAL_NEUTRAL = "political_neutral"  # news, fact checks, notices, reminders
    UNRELATED = "unrelated"

    @property
    def label(self) -> str:
        return str(CLASS_LABELS[self])


class Stance(StrEnum):
    """The text's stance towards its target (neutral when it has none)."""

    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"

    @property
    def label(self) -> str:
        return str(STANCE_LABELS[self])


CLASS_LABELS = {
    ContentClass.CAMPAIGN: _("kampanye"),
    ContentClass.POLITICAL_NEUTRAL: _("politik netral"),
    ContentClass.UNRELATED: _("tidak terkait"),
}
STANCE_LABELS = {
    Stance.SUPPORT: _("mendukung"),
    Stance.OPPOSE: _("menyerang"),
    Stance.NEUTRAL: _("netral"),
}


@dataclass(frozen=True, slots=True)
class MatchedTerm:
    """One lexicon hit that the verdict rests on, as shown to a supervisor."""

    candidate_number: int
    term: str
    kind: str  # a TermKind value
    surface: str  # the words as written in the text
    start: int
    end: int
    support: str = ""  # why a weak term counted ("campaign" or "candidate"), else ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The classifier's answer for one text.

    ``score`` is the probability that the text is campaign content (0..1). ``target`` is
    the ballot number of the candidate supported or attacked, ``target_id`` that
    candidate's primary key when the lexicon came from the database. ``reasons`` are
    Indonesian sentences for the supervisor; ``features`` the model's strongest features
    for the decided class with their weights; ``terms`` the lexicon hits.
    """

    content_class: ContentClass
    stance: Stance
    target: int | None
    target_id: int | None
    target_name: str
    score: float
    model_version: str
    reasons: tuple[str, ...] = ()
    features: tuple[tuple[str, float], ...] = ()
    terms: tuple[MatchedTerm, ...] = field(default=())

    @property
    def campaign(self) -> bool:
        return self.content_class == ContentClass.CAMPAIGN

    def as_json(self) -> dict[str, Any]:
        """The verdict as JSON-ready data (kept in a flag's explanation)."""
        return {
            "class": self.content_class.value,
            "stance": self.stance.value,
            "target": self.target,
            "target_id": self.target_id,
            "target_name": self.target_name,
            "score": round(self.score, 4),
            "model_version": self.model_version,
            "reasons": list(self.reasons),
            "features": [[name, round(weight, 4)] for name, weight in self.features],
            "terms": [
                {
                    "candidate_number": t.candidate_number,
                    "term": t.term,
                    "kind": t.kind,
                    "surface": t.surface,
                    "start": t.start,
                    "end": t.end,
                    "support": t.support,
                }
                for t in self.terms
            ],
        }
