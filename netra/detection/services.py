"""Writes of detection: staff add aliases to an election's lexicon; each records an Event.

The lexicon itself is never written: ``netra.detection.lexicon.lexicon_for`` sees the
new alias through the content hash of what it compiles from.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.detection.events import DetectionEvent
from netra.detection.models import LexiconAlias, TermKind
from netra.detection.normalise import default_normaliser
from netra.elections.models import Candidate
from netra.staff.models import User


@transaction.atomic
def lexicon_alias_add(
    *, candidate: Candidate, term: str, kind: TermKind | str, actor: User | None
) -> LexiconAlias:
    """Add ``term`` as a ``kind`` term of ``candidate`` in its election's lexicon.

    A user actor must hold ``detection.add_alias`` on the candidate (``rules.py``),
    otherwise PermissionDenied before anything is written; None is the system. Raises
    ValidationError (Indonesian) for a ballot-number kind, a term with no letters or
    digits, or a term the candidate already has (ignoring case). Records
    ``detection.alias_added``.
    """
    if actor is not None and not actor.has_perm("detection.add_alias", candidate):
        raise PermissionDenied(
            _("Anda tidak berwenang menambah istilah untuk %(candidate)s.")
            % {"candidate": candidate}
        )
    if kind == TermKind.NUMBER:
        raise ValidationError(
            {"kind": _("Nomor urut diambil dari data calon, bukan ditambahkan sebagai alias.")}
        )
    if not default_normaliser().words(term):
        raise ValidationError({"term": _("Istilah harus memuat huruf atau angka.")})
    alias = LexiconAlias(
        election_id=candidate.election_id,
        candidate=candidate,
        term=term,
        kind=kind,
        added_by=actor,
    )
    alias.full_clean()
    alias.save()
    event_record(
        kind=DetectionEvent.ALIAS_ADDED,
        subject=alias,
        actor=actor,
        params={
            "term": alias.term,
            "kind": alias.kind,
            "candidate": candidate.pk,
            "election": candidate.election_id,
        },
    )
    return alias
