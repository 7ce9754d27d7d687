from __future__ import annotations

import pytest

from netra.geo.models import Region, covers, within_q


@pytest.mark.parametrize(
    ("prefix", "code", "expected"),
    [
        ("35.07", "35.07", True),
        ("35.07", "35.07.01", True),
        ("35.07", "35.07.01.2001", True),
        ("35.07", "35.73", False),
        ("35.07", "35.70", False),
        ("35.07", "35", False),
        ("35.07.01", "35.07.02.2001", False),
        (None, "91.03", True),
        ("35.07", "", False),
        ("35.07", None, False),
    ],
)
def test_an_office_covers_its_code_and_descendants_only(
    prefix: str | None, code: str | None, expected: bool
) -> None:
    assert covers(prefix, code) is expected


def test_a_prefix_never_matches_a_longer_sibling_code(regions: dict[str, Region]) -> None:
    Region.objects.create(
        code="35.07.10", name="Kepanjen", level="district", parent=regions["35.07"]
    )
    Region.objects.create(
        code="35.07.01.2010", name="Desa Uji", level="village", parent=regions["35.07.01"]
    )
    in_donomulyo = Region.objects.filter(within_q("code", "35.07.01")).values_list(
        "code", flat=True
    )
    assert sorted(in_donomulyo) == ["35.07.01", "35.07.01.2001", "35.07.01.2010"]
    in_malang = Region.objects.filter(within_q("code", "35.07")).values_list("code", flat=True)
    assert "35.73" not in in_malang
    assert len(in_malang) == 7
    assert Region.objects.filter(within_q("code", None)).count() == Region.objects.count()
