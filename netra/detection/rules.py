"""Permissions of detection, registered with ``rules`` (autodiscovered at start-up).

- ``detection.add_alias`` (with the candidate): adding a term to the lexicon of the
  candidate's election; analysts, commissioners and administrators whose jurisdiction
  covers the election's region (a national election: national staff only), because an
  alias changes what detection finds for everyone watching that election.
- ``detection.view_flags`` (without an object: may the user open the triage queue at
  all; with a flag: that flag): supervisors and above whose jurisdiction covers the
  flag's region (the subject's workplace; for coordination the regency or agency).
- ``detection.decide_flag`` (with the flag): confirming or dismissing it; analysts,
  commissioners and administrators whose jurisdiction covers the flag's region.
- ``detection.run_linkage`` (with a region, or None for the whole country): proposing
  account links for the subjects of that region; the roles that handle data, whose
  jurisdiction covers the region (the whole country: national staff only). A run only
  proposes; analysts decide each link (``registry.decide_link``).
"""

from __future__ import annotations

from rules.permissions import add_perm, perm_exists

from netra.detection.models import Flag
from netra.elections.models import Candidate
from netra.geo.models import Region
from netra.staff.access import user_covers
from netra.staff.rules import (
    handles_data,
    has_jurisdiction,
    is_analyst_or_above,
    is_supervisor_or_above,
    predicate,
)
from netra.staff.types import AnyUser


@predicate
def covers_candidate_election(user: AnyUser, candidate: Candidate | None) -> bool:
    """The candidate's election is held within the user's jurisdiction."""
    return candidate is not None and user_covers(user, candidate.election.region_id)


@predicate
def covers_flag(user: AnyUser, flag: Flag | None) -> bool:
    """The flag's region lies within the user's jurisdiction."""
    return flag is not None and user_covers(user, flag.region_id)


@predicate
def no_flag_or_covers(user: AnyUser, flag: Flag | None) -> bool:
    return bool(has_jurisdiction(user)) if flag is None else bool(covers_flag(user, flag))


@predicate
def covers_linkage_region(user: AnyUser, region: Region | None) -> bool:
    """The region (None: the whole country) lies within the user's jurisdiction."""
    return user_covers(user, region.code if region is not None else None)


PERMISSIONS = {
    "detection.add_alias": is_analyst_or_above & covers_candidate_election,
    "detection.view_flags": is_supervisor_or_above & no_flag_or_covers,
    "detection.decide_flag": is_analyst_or_above & covers_flag,
    "detection.run_linkage": handles_data & covers_linkage_region,
}

for _name, _predicate in PERMISSIONS.items():
    if not perm_exists(_name):  # type: ignore[no-untyped-call]
        add_perm(_name, _predicate)  # type: ignore[no-untyped-call]
