"""Loading the files issue 10 named: CrowdTangle API pages, Graph arrays, Accounts Center
exports and TikTok profiles, through ``ingest_file``, reconciled, one account per person.

The payloads and the tools that write them are described in the parser tests
(tests/social/sources/test_sources_meta_crowdtangle.py, _meta_graph.py, _meta_dyi.py,
_tiktok_parse.py); the Zeeschuimer capture is tests/social/sources/payloads/capture/
tiktok.ndjson. All people are fictional.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from netra.social.ingest import NothingLoaded, ingest_file
from netra.social.models import Account, Interaction, Item, ItemProvenance, QuarantinedRecord
from netra.social.sources.records import ParseOptions

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "sources" / "payloads"
META = PAYLOADS / "meta"
AC = META / "accounts_center"
TIKTOK = PAYLOADS / "tiktok"
CAPTURE = PAYLOADS / "capture" / "tiktok.ndjson"
HENDRA_INFO = TIKTOK / "user_info_@hendra.kusuma.json"
HENDRA_ID = "6812345678901234501"


def _reconciled(totals: dict[str, int]) -> bool:
    return totals["read"] == (
        totals["new"] + totals["updated"] + totals["duplicate"] + totals["quarantined"]
    )


@pytest.mark.parametrize(
    ("path", "owner", "fmt", "read", "new", "quarantined"),
    [
        (META / "crowdtangle_api_posts.json", "", "crowdtangle-api-json", 6, 5, 1),
        (META / "crowdtangle_api_search.jsonl", "", "crowdtangle-api-jsonl", 8, 5, 3),
        (META / "crowdtangle_api_links.json", "", "crowdtangle-api-json", 2, 2, 0),
        (META / "graph_posts_array.json", "", "meta-graph-json", 12, 11, 1),
        # The media owner's snapshot on each line: the second one is the same version.
        (META / "graph_media.ndjson", "", "meta-graph-jsonl", 8, 6, 1),
        (AC / "liked_posts.json", "asn_contoh", "instagram-dyi-json", 6, 5, 1),
        (AC / "saved_posts.json", "", "instagram-dyi-json", 4, 4, 0),
        (AC / "post_comments_1.json", "asn_contoh", "instagram-dyi-json", 4, 3, 1),
        (AC / "likes_and_reactions.json", "bambang_fiktif", "facebook-dyi-json", 4, 3, 1),
        (AC / "posts_on_other_pages_and_profiles.json", "", "facebook-dyi-json", 2, 1, 1),
        (HENDRA_INFO, "", "tiktok-research-json", 1, 1, 0),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else None,
)
def test_each_file_loads_with_its_counts_reconciled(
    path: Path, owner: str, fmt: str, read: int, new: int, quarantined: int
) -> None:
    summary = ingest_file(path, options=ParseOptions(owner_handle=owner))

    totals = summary.tally.totals()
    assert summary.format == fmt
    assert (totals["read"], totals["quarantined"]) == (read, quarantined)
    assert totals["new"] == new
    assert _reconciled(totals)
    for row in summary.tally.counts.values():
        assert _reconciled(row)
    assert QuarantinedRecord.objects.count() == quarantined
    again = ingest_file(path, options=ParseOptions(owner_handle=owner)).tally.totals()
    assert (again["read"], again["new"], again["updated"]) == (read, 0, 0)


def test_a_crowdtangle_post_from_the_api_and_from_the_csv_is_one_item() -> None:
    ingest_file(META / "crowdtangle_facebook.csv")
    post = Item.objects.get(platform="facebook", platform_id="104857362918475_122110987654321")

    summary = ingest_file(META / "crowdtangle_api_posts.json")

    assert summary.tally.counts["item"]["updated"] + summary.tally.counts["item"]["duplicate"] == 1
    assert Item.objects.filter(platform="facebook", platform_id=post.platform_id).count() == 1
    assert ItemProvenance.objects.filter(item=post).count() == 2
    page = Account.objects.filter(platform="facebook", platform_id="104857362918475")
    assert [(a.handle, a.display_name) for a in page] == [
        ("relawanmalangmakmur", "Relawan Malang Makmur")
    ]


def test_a_sponsored_post_names_its_sponsor_as_a_mention() -> None:
    ingest_file(META / "crowdtangle_api_posts.json")

    [mention] = Interaction.objects.filter(kind="mention")

    assert mention.target_account is not None
    assert (mention.target_account.handle, mention.via_item_platform_id) == (
        "kopiarjunofiktif",
        "104857362918475_122110987700002",
    )


@pytest.mark.parametrize("research_first", [True, False])
def test_one_person_through_the_research_api_and_a_zeeschuimer_capture_is_one_account(
    research_first: bool, tmp_path: Path
) -> None:
    video_page = tmp_path / "video_query_hendra.jsonl"
    video_page.write_text(
        json.dumps(
            {
                "request": {
                    "url": "https://open.tiktokapis.com/v2/research/video/query/?fields=id",
                    "params": {"query": {"and": [{"field_name": "username"}]}},
                },
                "response": {
                    "data": {
                        "videos": [
                            {
                                "id": 7434901234567899999,
                                "username": "hendra.kusuma",
                                "create_time": 1731049200,
                                "video_description": "Sowan ke Kepanjen",
                                "video_mention_list": ["agus_setiyono"],
                            }
                        ],
                        "cursor": 1,
                        "has_more": False,
                        "search_id": "7440000000000000001",
                    },
                    "error": {"code": "ok", "message": "", "log_id": "2024111302"},
                },
            }
        )
        + "\n"
    )
    research = [HENDRA_INFO, video_page]
    for path in [*research, CAPTURE] if research_first else [CAPTURE, *research]:
        assert _reconciled(ingest_file(path).tally.totals())

    [hendra] = Account.objects.filter(platform="tiktok", handle__iexact="hendra.kusuma")
    assert hendra.platform_id == HENDRA_ID
    # The Research API's profile (15,400 followers) is that account's beside the capture's
    # (15,200) and what the video page says of its author (no counts), its video too.
    assert set(hendra.snapshots.values_list("followers", flat=True)) == {None, 15200, 15400}
    assert set(
        Item.objects.filter(platform="tiktok", author=hendra).values_list("platform_id", flat=True)
    ) == {"7434901234567890123", "7434901234567899999"}
    # Agus, mentioned by both, is one account too.
    assert Account.objects.filter(platform="tiktok", handle__iexact="agus_setiyono").count() == 1


def test_a_profile_whose_user_is_named_nowhere_is_quarantined_saying_how_to_name_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "user_info.json"
    shutil.copy(HENDRA_INFO, path)

    # Its only record unusable: the load fails, its quarantine kept.
    with pytest.raises(NothingLoaded) as failed:
        ingest_file(path)

    summary = failed.value.summary
    assert summary.tally.totals()["read"] == summary.tally.totals()["quarantined"] == 1
    [held] = QuarantinedRecord.objects.all()
    assert "namai berkasnya dengan @NAMA (mis. user_info_@NAMA.json)" in held.reason
    assert "--owner-handle NAMA" in held.reason
    assert not Account.objects.filter(platform="tiktok").exists()


def test_the_same_profile_named_by_the_command_line_is_read() -> None:
    summary = ingest_file(
        TIKTOK / "user_info.json", options=ParseOptions(owner_handle="warga_fiktif_12")
    )

    assert summary.tally.totals()["new"] == 1
    [account] = Account.objects.filter(platform="tiktok")
    assert (account.platform_id, account.handle) == ("", "warga_fiktif_12")


def test_liked_and_saved_instagram_posts_keep_who_liked_and_who_posted() -> None:
    ingest_file(AC / "liked_posts.json", options=ParseOptions(owner_handle="asn_contoh"))
    ingest_file(AC / "saved_posts.json")

    likes = Interaction.objects.filter(platform="instagram", kind="like")
    assert sorted((i.actor.handle, i.target_item_platform_id) for i in likes) == [
        ("asn_contoh", "DAbCdEfGhIj"),
        ("asn_contoh", "DAzYxWvUtSr"),
    ]
    reel = Item.objects.get(platform="instagram", platform_id="DAzYxWvUtSr")
    assert reel.author is not None
    assert (reel.author.handle, reel.text) == (
        "sitiaminah_fiktif",
        "Sugeng rawuh Pak Hendra 🎬 — jangan lupa datang ya’",
    )
    # The owner of the liked reel and the author of the saved one are one account.
    assert Account.objects.filter(platform="instagram", handle="sitiaminah_fiktif").count() == 1
