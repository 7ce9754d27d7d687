"""Write synthetic X API v2 pages as twarc2 JSONL: 100 tweets per line with includes.users.

    python bench/gen_x_v2.py --items 1000000 --seed 7 --out var/bench/x_v2.jsonl

Deterministic for a seed, streamed line by line (constant memory whatever the size). The
people and the text are fictional; the shape follows the X API v2 reference: tweets with
author_id, conversation_id, referenced_tweets, entities.mentions and public_metrics, and
the authors in includes.users.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PER_PAGE = 100
USERS = 5_000
SNOWFLAKE_EPOCH_MS = 1288834974657
START = datetime(2024, 9, 25, tzinfo=UTC)  # the first day of the 2024 Pilkada campaign

WORDS = (  # noqa: SIM905 - a word list reads best as the text it imitates
    "mari dukung program kabupaten malang makmur warga desa pasar pupuk jalan sekolah gratis "
    "kampanye dialogis relawan coblos pilkada damai netral bupati wakil calon debat balai "
    "kecamatan posyandu bansos rombongan undangan hadir sabtu besok terima kasih semangat"
).split()
EMOJI = ("🗳️", "🇮🇩", "💪🏽", "🙏", "👍", "😅", "✨", "👩\u200d🏫", "")
SCRIPTS = ("", "", "", " ꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ", " الحمد لله")


def _snowflake(moment: datetime, sequence: int) -> str:
    milliseconds = int(moment.timestamp() * 1000)
    return str(((milliseconds - SNOWFLAKE_EPOCH_MS) << 22) | (sequence & 0x3FFFFF))


def _user(number: int) -> dict[str, Any]:
    return {
        "id": str(1_500_000_000_000_000_000 + number),
        "username": f"warga_fiktif_{number}",
        "name": f"Warga Fiktif {number}",
        "description": "Akun sintetis untuk uji beban Netra.",
        "public_metrics": {
            "followers_count": number % 997,
            "following_count": number % 503,
            "tweet_count": number * 3 % 10_007,
            "listed_count": 0,
        },
    }


def _tweet(
    rng: random.Random, moment: datetime, sequence: int, earlier: list[str]
) -> dict[str, Any]:
    tweet_id = _snowflake(moment, sequence)
    author = rng.randrange(USERS)
    mentioned = rng.randrange(USERS)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 30)))
    text = f"@warga_fiktif_{mentioned} {words} {rng.choice(EMOJI)}{rng.choice(SCRIPTS)}"
    tweet: dict[str, Any] = {
        "id": tweet_id,
        "text": text,
        "edit_history_tweet_ids": [tweet_id],
        "author_id": str(1_500_000_000_000_000_000 + author),
        "created_at": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "conversation_id": tweet_id,
        "lang": "in",
        "entities": {
            "mentions": [
                {
                    "start": 0,
                    "end": len(f"@warga_fiktif_{mentioned}"),
                    "username": f"warga_fiktif_{mentioned}",
                    "id": str(1_500_000_000_000_000_000 + mentioned),
                }
            ]
        },
        "public_metrics": {
            "retweet_count": rng.randrange(50),
            "reply_count": rng.randrange(20),
            "like_count": rng.randrange(500),
            "quote_count": rng.randrange(5),
            "bookmark_count": rng.randrange(5),
            "impression_count": rng.randrange(20_000),
        },
    }
    roll = rng.random()
    if earlier and roll < 0.3:
        parent = rng.choice(earlier)
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent}]
        tweet["conversation_id"] = parent
    elif earlier and roll < 0.4:
        tweet["referenced_tweets"] = [{"type": "quoted", "id": rng.choice(earlier)}]
    return tweet


def generate(out: Path, items: int, seed: int) -> int:
    """Write ``items`` tweets (rounded up to whole pages) to ``out``; returns the lines written."""
    rng = random.Random(seed)
    moment = START
    earlier: list[str] = []
    pages = -(-items // PER_PAGE)
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as stream:
        for page in range(pages):
            count = min(PER_PAGE, items - page * PER_PAGE)
            tweets = []
            for sequence in range(count):
                moment += timedelta(milliseconds=rng.randrange(1, 2_000))
                tweets.append(_tweet(rng, moment, sequence, earlier))
            earlier = [t["id"] for t in tweets[-20:]]
            authors = sorted({int(t["author_id"]) - 1_500_000_000_000_000_000 for t in tweets})
            mentioned = sorted(
                {
                    int(t["entities"]["mentions"][0]["id"]) - 1_500_000_000_000_000_000
                    for t in tweets
                }
            )
            response = {
                "data": tweets,
                "includes": {"users": [_user(n) for n in sorted({*authors, *mentioned})]},
                "meta": {
                    "newest_id": tweets[-1]["id"],
                    "oldest_id": tweets[0]["id"],
                    "result_count": len(tweets),
                    "next_token": f"fiktif{seed}p{page + 1}",
                },
                "__twarc": {
                    "url": "https://api.twitter.com/2/tweets/search/all?query=pilkada%20malang",
                    "version": "2.14.0",
                    "retrieved_at": moment.isoformat(),
                },
            }
            stream.write(json.dumps(response, ensure_ascii=False, separators=(",", ":")))
            stream.write("\n")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="tweets to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("var/bench/x_v2.jsonl"))
    args = parser.parse_args()
    lines = generate(args.out, args.items, args.seed)
    print(f"{args.items} tweets in {lines} pages -> {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
