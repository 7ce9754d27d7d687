"""The demo's social media activity, written in the platforms' own formats and ingested.

The demo subjects' accounts post, comment on, like, react to and share campaign content of
the three fictional candidate pairs during the 2024 campaign (25 September to 23 November
2024). Each platform's share is written as the file a supervisor would really get:

* X: twarc2 JSONL (X API v2 pages, with a ``liking_users`` page);
* Facebook: Meta Graph API pages of a campaign page's post, its comments and reactions,
  as a collector saves them (JSONL, each page with its request);
* TikTok: TikTok Research API video query pages;
* Instagram: a spreadsheet a district supervisor typed (Netra CSV, semicolon-separated as
  Excel writes it in Indonesia), with one row whose date Netra cannot read, which lands in
  the quarantine.

Everything is generated from a fixed seed, so the files are byte for byte the same on every
run: loading the demo again stores nothing twice. Every person is fictional.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from netra.core.platforms import Platform
from netra.elections.models import Election
from netra.social.ingest import FileSummary, ingest_file
from netra.staff.models import User

SEED = 2024
CAMPAIGN_START = datetime(2024, 9, 25, 1, 0, tzinfo=UTC)
OTHER_OFFICE_FILE = "lumajang-salinan-unggahan.jsonl"
OTHER_OFFICE_TEXT = (
    "Salinan Bawaslu Kabupaten Lumajang: unggahan ini sudah dihapus (catatan fiktif)."
)
SNOWFLAKE_EPOCH_MS = 1288834974657

# The fictional pairs' campaign accounts (the demo election's candidates and aliases).
X_CAMPAIGN = [
    ("1700000000000000001", "hendrawulan_01", "Hendra-Wulan Malang Makmur", "#HWSW"),
    ("1700000000000000002", "cakbagus_bara02", "BaRa Kabupaten Malang", "#BaRa02"),
    ("1700000000000000003", "anur_03", "ANUR Satu Hati", "#ANUR03"),
]
FACEBOOK_PAGE = ("104857362900001", "Hendra-Wulan untuk Kabupaten Malang")
TIKTOK_CAMPAIGN = "paslon02_bara"
INSTAGRAM_CAMPAIGN = ("17841400900000001", "anur.satuhati")

SUPPORT = [
    "Ayo coblos {alias} tanggal 27 November! {tag}",
    "Program {alias} paling masuk akal buat desa kita 💪🏽 {tag}",
    "Sudah lihat debat semalam? {alias} jelas lebih siap {tag}",
    "Warga Donomulyo siap menangkan {alias} 🗳️ {tag}",
    "Bismillah, bersama {alias} Kabupaten Malang makmur ꦩꦭꦁ {tag}",
]
# Support given by the ballot number alone: no name, no campaign word the lexicon knows.
NUMBER_ONLY = [
    "pokoknya {number} 🔥🔥 sampai menang",
    "{number} aja udah, ra usah mikir 😎",
]
# Posts about the election that are no campaign: news and an official notice.
NEWS = [
    "KPU Kabupaten Malang menetapkan nomor urut pasangan calon bupati dan wakil bupati: "
    "Hendra-Wulan nomor 1, Bagus-Ratna nomor 2, Andi-Nur nomor 3.",
    "Bawaslu Kabupaten Malang mengingatkan: ASN, kepala desa dan perangkat desa dilarang "
    "ikut kampanye, termasuk memberi suka atau membagikan unggahan paslon.",
]
NEUTRAL = [
    "Posyandu Desa Tulungrejo buka Sabtu pagi, silakan datang 🙏",
    "Jalan ke Sumbermanjing Kulon sudah diperbaiki, terima kasih semua",
    "Ingat, ASN wajib netral. Mari jaga Pilkada damai ✨",
    "Jadwal pelayanan KTP elektronik di kecamatan minggu ini",
]
COMMENTS = [
    "Setuju, {alias} pilihan tepat!",
    "Mantap, semangat {alias} 👍",
    "Kami warga desa siap dukung",
    "Semoga amanah 🤲 الحمد لله",
]


@dataclass(frozen=True, slots=True)
class DemoAccount:
    platform_id: str
    handle: str
    name: str
    platform: str = ""
    bio: str = "Akun pribadi."


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _snowflake(moment: datetime, sequence: int) -> str:
    milliseconds = int(moment.timestamp() * 1000)
    return str(((milliseconds - SNOWFLAKE_EPOCH_MS) << 22) | sequence)


def _x_user(account: DemoAccount, rng: random.Random) -> dict[str, Any]:
    return {
        "id": account.platform_id,
        "username": account.handle,
        "name": account.name,
        "description": account.bio,
        "public_metrics": {
            "followers_count": rng.randrange(40, 900),
            "following_count": rng.randrange(40, 600),
            "tweet_count": rng.randrange(100, 5000),
            "listed_count": 0,
        },
    }


def x_pages(subjects: list[DemoAccount], aliases: list[list[str]]) -> bytes:
    """twarc2 JSONL: campaign posts, subjects' replies, retweets and posts, then likes."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    campaign = [DemoAccount(pid, handle, name) for pid, handle, name, _tag in X_CAMPAIGN]
    tags = [tag for *_rest, tag in X_CAMPAIGN]
    users = {a.platform_id: _x_user(a, rng) for a in [*campaign, *subjects]}
    lines: list[str] = []
    sequence = 0
    moment = CAMPAIGN_START
    campaign_posts: list[tuple[str, int]] = []
    for day in range(6):
        moment = CAMPAIGN_START + timedelta(days=day * 9, hours=2)
        tweets: list[dict[str, Any]] = []
        for number, account in enumerate(campaign):
            sequence += 1
            tweet_id = _snowflake(moment + timedelta(minutes=number), sequence)
            text = rng.choice(SUPPORT).format(alias=rng.choice(aliases[number]), tag=tags[number])
            tweets.append(_tweet(tweet_id, account, text, moment, rng))
            campaign_posts.append((tweet_id, number))
        for account in subjects:
            sequence += 1
            at = moment + timedelta(hours=rng.randrange(1, 40), minutes=rng.randrange(60))
            tweet_id = _snowflake(at, sequence)
            parent_id, number = rng.choice(campaign_posts)
            roll = rng.random()
            if day == 4:  # the last week: support by the ballot number alone
                text = rng.choice(NUMBER_ONLY).format(number=f"0{number + 1}")
                tweet = _tweet(tweet_id, account, text, at, rng)
            elif roll < 0.35:
                text = rng.choice(COMMENTS).format(alias=rng.choice(aliases[number]))
                tweet = _tweet(tweet_id, account, f"@{campaign[number].handle} {text}", at, rng)
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent_id}]
                tweet["conversation_id"] = parent_id
                tweet["in_reply_to_user_id"] = campaign[number].platform_id
                tweet["entities"] = _mention(campaign[number])
            elif roll < 0.55:
                text = f"RT @{campaign[number].handle}: …"
                tweet = _tweet(tweet_id, account, text, at, rng)
                tweet["referenced_tweets"] = [{"type": "retweeted", "id": parent_id}]
                tweet["entities"] = _mention(campaign[number])
            elif roll < 0.75:
                alias = rng.choice(aliases[number])
                text = rng.choice(SUPPORT).format(alias=alias, tag=tags[number])
                tweet = _tweet(tweet_id, account, text, at, rng)
            elif roll < 0.8:
                tweet = _tweet(tweet_id, account, rng.choice(NEWS), at, rng)
            else:
                tweet = _tweet(tweet_id, account, rng.choice(NEUTRAL), at, rng)
            tweets.append(tweet)
        retrieved = moment + timedelta(days=2)
        page = {
            "data": tweets,
            "includes": {"users": [users[t["author_id"]] for t in tweets]},
            "meta": {"result_count": len(tweets)},
            "__twarc": {
                "url": "https://api.x.com/2/tweets/search/all?query=%22Paslon%22%20Malang",
                "version": "2.14.0",
                "retrieved_at": retrieved.isoformat(),
            },
        }
        lines.append(json.dumps(page, ensure_ascii=False))
    # Who liked the first campaign post of each pair (X gives no time for a like).
    for tweet_id, number in campaign_posts[:3]:
        likers = rng.sample(subjects, k=min(len(subjects), 4 + number))
        page = {
            "data": [users[a.platform_id] for a in likers],
            "meta": {"result_count": len(likers)},
            "__twarc": {
                "url": f"https://api.x.com/2/tweets/{tweet_id}/liking_users",
                "version": "2.14.0",
                "retrieved_at": (CAMPAIGN_START + timedelta(days=50)).isoformat(),
            },
        }
        lines.append(json.dumps(page, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode()


def _tweet(
    tweet_id: str, account: DemoAccount, text: str, at: datetime, rng: random.Random
) -> dict[str, Any]:
    return {
        "id": tweet_id,
        "text": text,
        "edit_history_tweet_ids": [tweet_id],
        "author_id": account.platform_id,
        "created_at": _iso(at),
        "conversation_id": tweet_id,
        "lang": "in",
        "public_metrics": {
            "retweet_count": rng.randrange(30),
            "reply_count": rng.randrange(15),
            "like_count": rng.randrange(300),
            "quote_count": rng.randrange(4),
            "bookmark_count": rng.randrange(4),
            "impression_count": rng.randrange(100, 9000),
        },
    }


def _mention(account: DemoAccount) -> dict[str, Any]:
    return {
        "mentions": [
            {
                "start": 0,
                "end": len(account.handle) + 1,
                "username": account.handle,
                "id": account.platform_id,
            }
        ]
    }


def facebook_pages(subjects: list[DemoAccount], aliases: list[str]) -> bytes:
    """Graph API pages as a collector saves them: the page's posts, comments and reactions."""
    rng = random.Random(SEED + 1)  # noqa: S311
    page_id, page_name = FACEBOOK_PAGE
    graph = "https://graph.facebook.com/v21.0"
    posts: list[dict[str, Any]] = []
    for number in range(3):
        at = CAMPAIGN_START + timedelta(days=7 + number * 14, hours=3)
        posts.append(
            {
                "id": f"{page_id}_{122110000000000 + number}",
                "message": rng.choice(SUPPORT).format(alias=rng.choice(aliases), tag="#HWSW"),
                "created_time": at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
                "permalink_url": (
                    f"https://www.facebook.com/{page_id}/posts/{122110000000000 + number}"
                ),
                "from": {"id": page_id, "name": page_name},
                "shares": {"count": rng.randrange(5, 80)},
            }
        )
    lines = [
        {
            "request": {"url": f"{graph}/{page_id}/posts?fields=id,message,created_time,from"},
            "response": {"data": posts, "paging": {"cursors": {"before": "QQ==", "after": "Qg=="}}},
        }
    ]
    for post in posts:
        commenters = rng.sample(subjects, k=min(len(subjects), 5))
        created = datetime.strptime(post["created_time"], "%Y-%m-%dT%H:%M:%S%z")
        comments = [
            {
                "id": f"{post['id'].split('_')[1]}_{900000 + index}",
                "message": rng.choice(COMMENTS).format(alias=rng.choice(aliases)),
                "created_time": (created + timedelta(minutes=7 * (index + 1))).strftime(
                    "%Y-%m-%dT%H:%M:%S+0000"
                ),
                "from": {"id": account.platform_id, "name": account.name},
                "like_count": rng.randrange(20),
            }
            for index, account in enumerate(commenters)
        ]
        reactions = [
            {
                "id": account.platform_id,
                "name": account.name,
                "type": rng.choice(["LIKE", "LOVE", "CARE"]),
            }
            for account in rng.sample(subjects, k=min(len(subjects), 8))
        ]
        lines.append(
            {
                "request": {"url": f"{graph}/{post['id']}/comments?fields=id,message,from"},
                "response": {"data": comments, "paging": {"cursors": {"before": "QQ=="}}},
            }
        )
        lines.append(
            {
                "request": {"url": f"{graph}/{post['id']}/reactions?fields=id,name,type"},
                "response": {"data": reactions, "paging": {"cursors": {"before": "QQ=="}}},
            }
        )
    return ("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n").encode()


def tiktok_pages(subjects: list[DemoAccount], aliases: list[str]) -> bytes:
    """TikTok Research API video query pages: the campaign's videos and subjects' videos."""
    rng = random.Random(SEED + 2)  # noqa: S311
    campaign_handle = TIKTOK_CAMPAIGN
    videos = []
    for index, handle in enumerate([campaign_handle, *[a.handle for a in subjects]]):
        at = CAMPAIGN_START + timedelta(days=3 + index * 2, hours=rng.randrange(12))
        videos.append(
            {
                "id": 7420000000000000000 + index,
                "username": handle,
                "video_description": rng.choice(SUPPORT).format(
                    alias=rng.choice(aliases), tag="#BaRa02 #PilkadaMalang"
                ),
                "create_time": int(at.timestamp()),
                "region_code": "ID",
                "view_count": rng.randrange(200, 40000),
                "like_count": rng.randrange(10, 3000),
                "comment_count": rng.randrange(40),
                "share_count": rng.randrange(60),
                "hashtag_names": ["bara02", "pilkadamalang"],
            }
        )
    line = {
        "request": {
            "url": "https://open.tiktokapis.com/v2/research/video/query/",
            "params": {
                "query": {
                    "and": [
                        {
                            "field_name": "hashtag_name",
                            "operation": "IN",
                            "field_values": ["bara02"],
                        }
                    ]
                }
            },
        },
        "response": {
            "data": {
                "videos": videos,
                "cursor": len(videos),
                "has_more": False,
                "search_id": "7420000000000099999",
            },
            "error": {"code": "ok", "message": "", "log_id": "20241120000000DEMO0000000000001"},
        },
        "retrieved_at": (CAMPAIGN_START + timedelta(days=55)).isoformat(),
    }
    return (json.dumps(line, ensure_ascii=False) + "\n").encode()


def instagram_sheet(subjects: list[DemoAccount], aliases: list[str]) -> bytes:
    """A supervisor's spreadsheet of Instagram findings, as Excel saves it (BOM, ';', CRLF)."""
    rng = random.Random(SEED + 3)  # noqa: S311
    campaign_id, campaign_handle = INSTAGRAM_CAMPAIGN
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "record",
            "platform",
            "id",
            "kind",
            "author_id",
            "author_handle",
            "created_at",
            "text",
            "parent_id",
            "root_id",
            "permalink",
            "metric_likes",
            "actor_id",
            "target_item_id",
            "catatan",
        ]
    )
    post_id = "3400000000000000001"
    writer.writerow(
        [
            "item",
            "instagram",
            post_id,
            "post",
            campaign_id,
            campaign_handle,
            "2024-10-20 19:00",
            f"Kampanye akbar {aliases[0]} di Kepanjen! #ANUR03",
            "",
            "",
            f"https://www.instagram.com/p/DEMO{post_id[-4:]}/",
            rng.randrange(500, 2000),
            "",
            "",
            "akun tim kampanye",
        ]
    )
    for index, account in enumerate(subjects):
        comment_id = str(17850000000000000 + index)
        writer.writerow(
            [
                "item",
                "instagram",
                comment_id,
                "comment",
                account.platform_id,
                account.handle,
                f"2024-10-{21 + index % 7:02d} {8 + index % 10:02d}:15",
                rng.choice(COMMENTS).format(alias=rng.choice(aliases)),
                post_id,
                post_id,
                "",
                rng.randrange(30),
                "",
                "",
                "tangkapan layar ada",
            ]
        )
        writer.writerow(
            [
                "interaction",
                "instagram",
                "",
                "like",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                account.platform_id,
                post_id,
                "",
            ]
        )
    # Typed by hand in the day-first style Netra refuses to guess: it goes to quarantine.
    writer.writerow(
        [
            "item",
            "instagram",
            "3400000000000000099",
            "post",
            campaign_id,
            campaign_handle,
            "27/11/2024 07:00",
            "Hari H! Jangan lupa ke TPS",
            "",
            "",
            "",
            "",
            "",
            "",
            "tanggal diketik manual",
        ]
    )
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def activity_load(
    folder: Path, election: Election, accounts: list[DemoAccount], other_office_analyst: User
) -> list[FileSummary]:
    """Write the demo's activity files into ``folder`` and ingest them for ``election``, then
    one file of another office (``other_office_analyst``'s) that holds one of its posts.

    ``accounts`` are the demo subjects' accounts, on every platform.
    """
    folder.mkdir(parents=True, exist_ok=True)
    aliases = [list(c.aliases) or [c.name] for c in election.candidates.order_by("number")]

    def on(platform: str) -> list[DemoAccount]:
        return [account for account in accounts if account.platform == platform]

    files = {
        "x-pencarian-paslon.jsonl": x_pages(on(Platform.X), aliases),
        "facebook-halaman-paslon-01.jsonl": facebook_pages(on(Platform.FACEBOOK), aliases[0]),
        "tiktok-tagar-bara02.jsonl": tiktok_pages(on(Platform.TIKTOK), aliases[1]),
        "instagram-temuan-panwascam.csv": instagram_sheet(on(Platform.INSTAGRAM), aliases[2]),
    }
    summaries = []
    for name, content in files.items():
        summaries.append(ingest_file(_written(folder / name, content), election=election))
    # Another office's file holding one of the same posts, in its own words: Kab. Lumajang
    # keeps its version and Kab. Malang's pages still show Malang's (netra.monitor.versions).
    path = _written(
        folder / OTHER_OFFICE_FILE, other_office_copy(files["x-pencarian-paslon.jsonl"])
    )
    summaries.append(ingest_file(path, actor=other_office_analyst))
    return summaries


def _written(path: Path, content: bytes) -> Path:
    if not path.exists() or path.read_bytes() != content:
        path.write_bytes(content)
    return path


def other_office_copy(x_file: bytes) -> bytes:
    """A Netra JSON Lines file of another office with the first campaign post of the X file,
    as that office typed it: same id and author, other text, collected later."""
    page = json.loads(x_file.split(b"\n", 1)[0])
    tweet = page["data"][0]
    author = next(user for user in page["includes"]["users"] if user["id"] == tweet["author_id"])
    record = {
        "record": "item",
        "platform": "x",
        "id": tweet["id"],
        "author_id": author["id"],
        "author_handle": author["username"],
        "created_at": tweet["created_at"],
        "text": OTHER_OFFICE_TEXT,
        "collected_at": (CAMPAIGN_START + timedelta(days=60)).isoformat(),
    }
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()
