"""Permissions of detection, registered with ``rules`` (autodiscovered at start-up).

- ``detection.add_alias`` (with the candidate): adding a term to the lexicon of the
  candidate's election; analysts, commissioners and administrators whose jurisdiction
  covers the election's region (a national election: national staff only), because an
  alias changes what detection finds for everyone watching that election.
"""

from __future__ import annotations

from rules.permissions import add_perm, perm_exists

from netra.elections.models import Candidate
from netra.staff.access import user_covers
from netra.staff.rules import is_analyst_or_above, predicate
from netra.staff.types import AnyUser


@predicate
def covers_candidate_election(user: AnyUser, candidate: Candidate | None) -> bool:
    """The candidate's election is held within the user's jurisdiction."""
    return candidate is not None and user_covers(user, candidate.election.region_id)


PERMISSIONS = {
    "detection.add_alias": is_analyst_or_above & covers_candidate_election,
}

for _name, _predicate in PERMISSIONS.items():
    if not perm_exists(_name):  # type: ignore[no-untyped-call]
        add_perm(_name, _predicate)  # type: ignore[no-untyped-call]
