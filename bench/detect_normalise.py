"""Texts per second on one core: normalise, and normalise + lexicon match, beside a plain
keyword search (``in`` and one regex) over the same generated texts.

    python bench/detect_normalise.py --texts 100000 --seed 7

The texts imitate Indonesian posts: slang, repeated letters, leetspeak, hashtags, emoji,
ballot numbers, mentions and URLs, a fifth naming one of three fictional candidates. Each
figure is the best of ``--repeat`` runs over the whole list, each run with the normaliser's
cache started cold (a new lexicon), so the cache only helps within one run as it would
within one batch of real posts. Needs no database: the lexicon is compiled from
``CandidateSource`` rows.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable

import django

WORDS = (  # noqa: SIM905 - a word list reads best as the text it imitates
    "yg gak bgt sy tdk utk krn blm sdh jgn aja dgn warga desa pasar pupuk jalan sekolah gratis "
    "kampanye relawan pilkada damai netral bupati wakil calon debat balai kecamatan posyandu "
    "bansos rombongan undangan hadir sabtu besok terima kasih semangat makan siang bareng "
    "temen kantor mantaaap kereeen bangettt wkwkwk hahaha ojo lali dulur monggo pinarak "
    "antrean puskesmas lama hujan deres macet pulang kerja capek pengen libur anak2 hati2 "
    "harga cabai naik lagi ibu2 arisan pengajian semoga sehat selalu aamiin bagus enak"
).split()
CAMPAIGN = ["coblos", "pilih", "dukung", "menang", "paslon", "periode", "lanjutkan", "nyoblos"]
NUMBERS = ["nomor 2", "no. 01", "02", "paslon 3", "salam dua jari", "✌🏻", "1️⃣", "nomor urut 2"]
NAMES = ["Bagus Santoso", "mas bagus", "BSW", "Cak Amin", "Aminudin", "Sulastri", "amin"]
TAGS = ["#AyoCoblos02", "#BagusRatna", "#ayocoblos", "#2019GantiPresiden", "#MalangMaju"]
EMOJI = ["👍🏽", "🙏", "😅", "✨", "🇮🇩", "💪", "😂😂", ""]
LEET = ["c0bl0s", "m4nt4p", "4nies", "pr4bowo08"]


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randrange(8, 28))]
        for pool, chance in ((CAMPAIGN, 0.3), (NUMBERS, 0.25), (TAGS, 0.2), (LEET, 0.1)):
            if rng.random() < chance:
                words.insert(rng.randrange(len(words) + 1), rng.choice(pool))
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words) + 1), rng.choice(NAMES))
        if rng.random() < 0.1:
            words.append(f"@warga_fiktif_{rng.randrange(5000)}")
        if rng.random() < 0.05:
            words.append(f"https://t.co/{rng.randrange(10**6):06d}")
        words.append(rng.choice(EMOJI))
        text = " ".join(words)
        out.append(text.capitalize() if rng.random() < 0.5 else text)
    return out


def rate(label: str, run: Callable[[], object], count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    per_second = count / best
    print(f"{label:<44} {per_second:>12,.0f} texts/s  ({best * 1e6 / count:6.2f} µs/text)")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    django.setup()
    from netra.detection.lexicon import CandidateSource, Lexicon

    def lexicon() -> Lexicon:
        return Lexicon(
            [
                CandidateSource(
                    id=1,
                    number=1,
                    name="Dr. H. Bagus Santoso Wiryawan, S.H.",
                    running_mate="Ratna Dewi Kartikasari",
                    party_or_coalition="Partai Demokrat, Perindo",
                    aliases=("Mas Bagus", "BSW"),
                    hashtags=("BagusRatna",),
                    slogans=("Malang Maju Bersama",),
                    handles=("bagusratna.fiktif",),
                ),
                CandidateSource(
                    id=2,
                    number=2,
                    name="Aminudin Hakim",
                    running_mate="Sekar Ayu Pramesti",
                    party_or_coalition="Koalisi Desa Berdaya",
                    aliases=("Amin", "Cak Amin"),
                    hashtags=("AminSekar",),
                ),
                CandidateSource(
                    id=3, number=3, name="Sulastri Wulandari", running_mate="Agus Prasetyo"
                ),
            ]
        )

    corpus = texts(args.texts, args.seed)
    count = len(corpus)
    keywords = ["bagus", "amin", "sulastri", "bsw", "nomor 2", "02", "paslon", "coblos"]
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, keywords)) + r")\b", re.IGNORECASE)
    print(f"{count:,} generated texts, {sum(map(len, corpus)) / count:.0f} characters each")

    def keyword_in() -> int:
        return sum(1 for text in corpus for word in keywords if word in text.lower())

    def keyword_regex() -> int:
        return sum(1 for text in corpus if pattern.search(text))

    def normalise_only() -> int:
        normalise = lexicon().normaliser.normalise
        return sum(len(normalise(text).tokens) for text in corpus)

    def normalise_and_match() -> int:
        scan = lexicon().scan
        return sum(len(scan(text).hits) for text in corpus)

    rate("plain keyword search: `in` (8 keywords)", keyword_in, count, args.repeat)
    rate("plain keyword search: one regex", keyword_regex, count, args.repeat)
    rate("normalise", normalise_only, count, args.repeat)
    rate("normalise + lexicon match", normalise_and_match, count, args.repeat)
    hits = normalise_and_match()
    print(f"hits counted: {hits:,} in {count:,} texts")


if __name__ == "__main__":
    main()
