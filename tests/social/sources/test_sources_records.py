"""The platform-neutral records: where a problem is, and counters by name."""

from __future__ import annotations

from datetime import UTC, datetime

from netra.social.sources.records import ItemKind, ItemRecord, ParseProblem, metrics_from


def test_a_problem_says_where_it_is_in_words() -> None:
    assert ParseProblem(reason="x", line=3, offset=120, path="$.data[2]").where == (
        "baris 3, byte ke-120, $.data[2]"
    )
    assert ParseProblem(reason="x", path="$.errors[0]").where == "$.errors[0]"
    assert ParseProblem(reason="x").where == ""


def test_metrics_are_frozen_sorted_and_read_by_name() -> None:
    item = ItemRecord(
        platform="x",
        platform_id="1",
        kind=ItemKind.POST,
        author_id="2",
        author_handle="a",
        created_at=datetime(2024, 11, 10, tzinfo=UTC),
        metrics=metrics_from({"views": 10, "likes": 3}),
    )

    assert item.metrics == (("likes", 3), ("views", 10))
    assert item.metric("views") == 10
    assert item.metric("shares") is None
