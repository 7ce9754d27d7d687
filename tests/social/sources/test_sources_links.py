"""Links to items: the platform of a URL, its canonical form and the item id it carries.

URL shapes follow the platforms' own links: X status URLs
(https://developer.x.com/en/docs/x-api/tweets/lookup/introduction, "tweet URL"), YouTube
watch/youtu.be/shorts (https://developers.google.com/youtube/v3/docs/videos, id), TikTok
video pages (https://developers.tiktok.com/doc/research-api-specs-query-videos, id and
username), Facebook ``story_fbid`` permalinks and Graph ``<page>_<post>`` ids
(https://developers.facebook.com/docs/graph-api/reference/post/), Instagram ``/p/`` and
``/reel/`` shortcodes and Threads ``/@user/post/<code>`` links.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from netra.social.sources.links import (
    item_kind_from_url,
    manual_platform_id,
    platform_from_url,
    platform_id_from_url,
    url_canonical,
)
from netra.social.sources.records import ItemKind


@pytest.mark.parametrize(
    ("platform", "url", "expected"),
    [
        (
            "x",
            "https://x.com/warga_fiktif_12/status/1855075334353846272?s=20&t=Ab",
            "1855075334353846272",
        ),
        ("x", "https://twitter.com/i/web/status/1855075334353846273", "1855075334353846273"),
        (
            "x",
            "https://mobile.twitter.com/asn_contoh/status/1855075334353846274/photo/1",
            "1855075334353846274",
        ),
        ("youtube", "https://www.youtube.com/watch?v=Ab3_x-Yz012&t=42s", "Ab3_x-Yz012"),
        ("youtube", "https://youtu.be/Ab3_x-Yz012?si=bagikan", "Ab3_x-Yz012"),
        ("youtube", "https://m.youtube.com/shorts/Ab3_x-Yz012", "Ab3_x-Yz012"),
        (
            "tiktok",
            "https://www.tiktok.com/@siti_contoh/video/7420000000000000001?is_from_webapp=1",
            "7420000000000000001",
        ),
        (
            "facebook",
            "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100000000000001",
            "100000000000001_1234567890",
        ),
        (
            "facebook",
            "https://www.facebook.com/100000000000001/posts/1234567890/",
            "100000000000001_1234567890",
        ),
        (
            "facebook",
            "https://www.facebook.com/pemkab.contoh/posts/pfbid02AbCdEfGh",
            "pfbid02AbCdEfGh",
        ),
        ("facebook", "https://m.facebook.com/watch/?v=987654321", "987654321"),
        ("facebook", "https://www.facebook.com/reel/555666777", "555666777"),
        ("instagram", "https://www.instagram.com/p/C9xYz_AbCdE/?igsh=MWQ1", "C9xYz_AbCdE"),
        ("instagram", "https://www.instagram.com/reel/C9xYz_AbCdF/", "C9xYz_AbCdF"),
        ("threads", "https://www.threads.net/@dewi.contoh/post/C9xYzAbCdEf", "C9xYzAbCdEf"),
    ],
)
def test_the_platform_id_comes_from_the_url(platform: str, url: str, expected: str) -> None:
    assert platform_from_url(url) == platform
    assert manual_platform_id(platform, url) == expected


@pytest.mark.parametrize(
    ("platform", "url", "canonical"),
    [
        # A short link names no video: the link itself is the key.
        ("tiktok", "https://vm.tiktok.com/ZSabc123/", "https://vm.tiktok.com/ZSabc123"),
        (
            "other",
            "http://www.Forum.Contoh.id/t/kampanye/?utm_source=wa&b=2&a=1#balasan",
            "https://forum.contoh.id/t/kampanye?a=1&b=2",
        ),
        ("x", "https://x.com/warga_fiktif_12", "https://x.com/warga_fiktif_12"),
    ],
)
def test_without_an_id_the_key_is_the_hash_of_the_canonical_url(
    platform: str, url: str, canonical: str
) -> None:
    assert url_canonical(url) == canonical
    assert manual_platform_id(platform, url) == (
        "manual:" + hashlib.sha256(canonical.encode()).hexdigest()
    )


def test_a_url_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        url_canonical("javascript:alert(1)")
    assert error.value.messages == [
        "Tautan 'javascript:alert(1)' bukan alamat http(s) yang lengkap."
    ]


@pytest.mark.parametrize(
    ("platform", "url", "kind"),
    [
        ("youtube", "https://youtu.be/Ab3_x-Yz012", ItemKind.VIDEO),
        ("tiktok", "https://www.tiktok.com/@siti_contoh/video/7420000000000000001", ItemKind.VIDEO),
        ("tiktok", "https://www.tiktok.com/@siti_contoh/photo/7420000000000000002", ItemKind.POST),
        ("x", "https://x.com/warga_fiktif_12/status/1855075334353846272", ItemKind.POST),
        ("other", "https://forum.contoh.id/t/kampanye", ItemKind.POST),
    ],
)
def test_an_entered_link_is_a_video_where_the_platform_says_so(
    platform: str, url: str, kind: ItemKind
) -> None:
    assert item_kind_from_url(platform, url) is kind


def test_an_id_is_read_only_from_a_link_of_the_platform_named() -> None:
    url = "https://x.com/warga_fiktif_12/status/1855075334353846272"

    assert platform_id_from_url("x", url) == "1855075334353846272"
    assert platform_id_from_url("youtube", url) is None
    assert platform_from_url("https://forum.contoh.id/status/1") is None
