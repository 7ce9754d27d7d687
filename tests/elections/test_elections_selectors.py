"""Candidates' official accounts, among those a page shows, for each persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from netra.elections.models import Candidate, CandidateAccount, Election, ElectionType
from netra.elections.selectors import official_accounts_for_user
from netra.geo.models import Region
from netra.law.models import Regime
from netra.staff.models import User


@pytest.fixture
def candidates(regions: dict[str, Region]) -> None:
    def election(slug: str, region: str) -> Election:
        return Election.objects.create(
            slug=slug,
            name=slug.replace("-", " ").title(),
            regime=Regime.PILKADA,
            type=ElectionType.REGENT,
            region=regions[region],
            year=2024,
        )

    malang = Candidate.objects.create(
        election=election("pilbup-malang", "35.07"), number=1, name="Calon Fiktif"
    )
    lumajang = Candidate.objects.create(
        election=election("pilbup-lumajang", "35.08"), number=2, name="Calon Lain"
    )
    CandidateAccount.objects.create(candidate=malang, platform="x", handle="Calon_Fiktif")
    CandidateAccount.objects.create(
        candidate=malang, platform="tiktok", handle="timcalon", is_campaign_team=True
    )
    CandidateAccount.objects.create(candidate=lumajang, platform="x", handle="calon_lain")


ASKED = [("x", "@calon_fiktif"), ("tiktok", "TimCalon"), ("x", "calon_lain"), ("x", "timcalon")]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "ri_admin",
            {
                ("x", "calon_fiktif"): ["1. Calon Fiktif", False],
                ("tiktok", "timcalon"): ["1. Calon Fiktif", True],
                ("x", "calon_lain"): ["2. Calon Lain", False],
            },
        ),
        (
            "malang_analyst",
            {
                ("x", "calon_fiktif"): ["1. Calon Fiktif", False],
                ("tiktok", "timcalon"): ["1. Calon Fiktif", True],
            },
        ),
        ("lumajang_analyst", {("x", "calon_lain"): ["2. Calon Lain", False]}),
        ("bkpsdm_partner", {}),
    ],
)
def test_official_accounts_are_found_by_platform_and_handle_in_visible_elections(
    personas: dict[str, User | None],
    candidates: None,
    persona: str,
    expected: dict[tuple[str, str], list[object]],
) -> None:
    found = official_accounts_for_user(personas[persona] or AnonymousUser(), ASKED)
    assert {key: [row.candidate, row.campaign_team] for key, [row] in found.items()} == expected
