"""Protected reads of flags: one jurisdiction rule (``selectors.flags_for_user``), the same
404 for a missing flag and one of another office.

Who may decide a flag is ``detection.decide_flag`` (``rules.py``); the services check it
again on every write, so a view that forgets to ask still writes nothing it may not.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from netra.detection.models import Flag
from netra.detection.selectors import candidates_of, flags_for_user
from netra.elections.models import Election
from netra.elections.selectors import elections_for_user
from netra.staff.types import AnyUser

# The most flags one bulk decision takes (a page of the queue is 50).
BULK_LIMIT = 200


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("no such flag") from None


def access_flag_for_user(user: AnyUser, flag_id: int | str) -> Flag:
    """The flag ``flag_id`` if its region lies within the user's jurisdiction.

    Raises Http404 both when the flag does not exist and when the user may not see it.
    Subject, agency, region, election and the decider come joined.
    """
    flag = flags_for_user(user).select_related("decided_by").filter(pk=_pk(flag_id)).first()
    if flag is None:
        raise Http404("no such flag")
    return flag


def access_flags_for_user(user: AnyUser, flag_ids: Iterable[int]) -> list[Flag]:
    """The flags ``flag_ids`` (a bulk decision's choice), all of them visible to ``user``.

    Raises Http404 when one of them is missing or out of the user's sight (the whole
    choice is refused, never a part of it silently dropped), and for an empty choice or
    one of more than ``BULK_LIMIT`` flags.
    """
    keys = sorted({_pk(key) for key in flag_ids})
    if not keys or len(keys) > BULK_LIMIT:
        raise Http404("no such flags")
    flags = list(flags_for_user(user).filter(pk__in=keys).order_by("pk"))
    if len(flags) != len(keys):
        raise Http404("no such flag")
    return flags


def may_decide_flag(user: AnyUser, flag: Flag) -> bool:
    """Whether ``user`` may confirm or dismiss ``flag`` (``detection.decide_flag``)."""
    return bool(user.has_perm("detection.decide_flag", flag))


def access_lexicon_for_user(user: AnyUser, election_id: int | str) -> Election:
    """An election whose lexicon the user may read (one held over their area); 404 else."""
    election = elections_for_user(user).filter(pk=_pk(election_id)).first()
    if election is None:
        raise Http404
    return election


def may_add_alias(user: AnyUser, election: Election) -> bool:
    """Whether the user may add terms to some candidate of ``election``'s lexicon."""
    return any(user.has_perm("detection.add_alias", c) for c in candidates_of(election))
