"""Collector tokens: the secrets collectors push batches with; only their SHA-256 is kept.

A token is ``ntr_`` followed by 43 URL-safe characters (256 random bits). It is shown
once, when created; the database keeps its SHA-256 and its first 12 characters (to tell
tokens apart in lists). Checking a presented token looks its hash up: no comparison of
secrets character by character, so the time taken tells nothing about the secret.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from netra.core.events import event_record
from netra.elections.models import Election
from netra.social.events import SocialEvent
from netra.social.models import CollectorToken
from netra.staff.models import User

PREFIX = "ntr_"
PREFIX_LENGTH = 12


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def collector_token_create(
    *, name: str, election: Election | None, actor: User | None
) -> tuple[CollectorToken, str]:
    """Create a token; return the row and the token itself, which is never stored."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = CollectorToken(
        name=name,
        token_sha256=token_hash(plain),
        prefix=plain[:PREFIX_LENGTH],
        election=election,
        created_by=actor,
    )
    with transaction.atomic():
        token.full_clean()
        token.save()
        event_record(
            kind=SocialEvent.COLLECTOR_TOKEN_CREATED,
            subject=token,
            actor=actor,
            params={"name": name, "prefix": token.prefix, "election": election and election.slug},
        )
    return token, plain


def collector_token_authenticate(plain: str) -> CollectorToken | None:
    """The active token a presented secret belongs to, its ``last_used_at`` updated; or None."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = (
        CollectorToken.objects.select_related("election")
        .filter(token_sha256=token_hash(plain), active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    CollectorToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def collector_token_deactivate(*, token: CollectorToken, actor: User | None) -> bool:
    """Refuse a token from now on; False when it was already inactive."""
    with transaction.atomic():
        changed = CollectorToken.objects.filter(pk=token.pk, active=True).update(active=False)
        if changed:
            token.active = False
            event_record(
                kind=SocialEvent.COLLECTOR_TOKEN_DEACTIVATED,
                subject=token,
                actor=actor,
                params={"prefix": token.prefix},
            )
    return changed == 1
