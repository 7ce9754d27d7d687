"""Page permissions of the web app, registered with ``rules`` (autodiscovered at start-up)."""

from __future__ import annotations

from rules.permissions import add_perm, perm_exists

from netra.staff.rules import has_jurisdiction

# The law catalogue (Data rujukan): every staff role with a jurisdiction, from Bawaslu RI
# to a Panwaslu Kecamatan; not partners, office-less users or visitors. Regulation is
# public, but the catalogue sits among staff pages and names rules still under review.
if not perm_exists("law.view_catalogue"):  # type: ignore[no-untyped-call]
    add_perm("law.view_catalogue", has_jurisdiction)  # type: ignore[no-untyped-call]
