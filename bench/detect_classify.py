"""Texts per second on one core for the whole text chain: normalise + lexicon match +
campaign classifier, beside a plain keyword search over the same texts in the same run.

    python bench/detect_classify.py --texts 100000 --seed 7

Two sets of texts: the generated posts of ``bench/detect_normalise.py`` (every text
different, one election's lexicon), and the labelled corpus (train and test, each text
judged with its own election's lexicon) repeated up to ``--texts``. Each figure is the
best of ``--repeat`` runs in CPU seconds of this process (``time.process_time``), with
every cache started cold (a new lexicon and a freshly read model per run, made
before the clock starts). Explaining (reasons and strongest features) is measured apart:
``netra detect run`` explains the campaign verdicts only, ``netra detect text`` every one.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections.abc import Callable
from typing import Any

import django
from detect_normalise import texts as generated_texts


def rate(
    label: str,
    run: Callable[[Any], object],
    count: int,
    repeat: int,
    setup: Callable[[], Any] = lambda: None,
) -> float:
    """Best of ``repeat`` runs of ``run(setup())``; only ``run`` is timed."""
    best = float("inf")
    for _ in range(repeat):
        state = setup()
        started = time.process_time()
        run(state)
        best = min(best, time.process_time() - started)
    per_second = count / best
    print(f"{label:<52} {per_second:>10,.0f} texts/s  ({best * 1e6 / count:6.2f} µs/text)")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netra.config.settings")
    django.setup()
    from netra.detection.classify import CampaignModel, Classifier, Explain, model_path
    from netra.detection.corpus import TEST, TRAIN, election_lexicons, read_set
    from netra.detection.lexicon import CandidateSource, Lexicon

    path = model_path()
    sources = [
        CandidateSource(
            1,
            1,
            "Dr. H. Bagus Santoso Wiryawan, S.H.",
            "Ratna Dewi Kartikasari",
            "Koalisi Malang Maju",
            aliases=("Mas Bagus", "BSW"),
            hashtags=("BagusRatna",),
            slogans=("Malang Maju Bersama",),
            handles=("bagusratna.fiktif",),
        ),
        CandidateSource(2, 2, "Aminudin Hakim", "Sekar Ayu Pramesti", aliases=("Amin", "Cak Amin")),
        CandidateSource(3, 3, "Sulastri Wulandari", "Agus Prasetyo"),
    ]
    generated = generated_texts(args.texts, args.seed)
    examples = [e for folder in (TRAIN, TEST) for e in read_set(folder).examples]
    corpus = list(itertools.islice(itertools.cycle(examples), args.texts))
    groups: dict[str, list[str]] = {}
    for example in corpus:
        groups.setdefault(example.election, []).append(example.text)
    keywords = ["bagus", "amin", "sulastri", "bsw", "nomor 2", "02", "paslon", "coblos"]

    def batches(items: list[str]) -> list[list[str]]:
        return [items[i : i + args.batch] for i in range(0, len(items), args.batch)]

    def fresh_generated() -> tuple[Lexicon, CampaignModel]:
        return Lexicon(sources), CampaignModel.read(path)

    def fresh_corpus() -> tuple[dict[str, Lexicon], CampaignModel]:
        lexicons = {}
        for folder in (TRAIN, TEST):
            lexicons.update(election_lexicons(folder / "elections.yaml"))
        return lexicons, CampaignModel.read(path)

    def on_generated(explain: Explain | None) -> Callable[[Any], int]:
        def run(state: tuple[Lexicon, CampaignModel]) -> int:
            lexicon, model = state
            if explain is None:
                return sum(len(lexicon.scan(text).hits) for text in generated)
            classifier = Classifier(lexicon, model)
            return sum(
                v.campaign
                for chunk in batches(generated)
                for v in classifier.verdicts(chunk, explain=explain)
            )

        return run

    def on_corpus(explain: Explain | None) -> Callable[[Any], int]:
        def run(state: tuple[dict[str, Lexicon], CampaignModel]) -> int:
            lexicons, model = state
            total = 0
            for slug, items in groups.items():
                if explain is None:
                    total += sum(len(lexicons[slug].scan(text).hits) for text in items)
                    continue
                classifier = Classifier(lexicons[slug], model)
                for chunk in batches(items):
                    total += sum(v.campaign for v in classifier.verdicts(chunk, explain=explain))
            return total

        return run

    def keyword_in(items: list[str]) -> Callable[[Any], int]:
        return lambda _state: sum(1 for text in items for word in keywords if word in text.lower())

    print(f"model {path.name}; {args.texts:,} texts per set, batches of {args.batch:,}")
    # Reading the model file is outside what a text costs: measured once, apart.
    started = time.process_time()
    CampaignModel.read(path)
    print(f"reading the model file: {time.process_time() - started:.2f} CPU-s (not counted below)")
    for name, items, chain, fresh in (
        ("generated", generated, on_generated, fresh_generated),
        ("corpus", [e.text for e in corpus], on_corpus, fresh_corpus),
    ):
        print(f"-- {name} texts ({sum(map(len, items)) / len(items):.0f} characters each)")
        keyword = rate(
            "plain keyword search: `in` (8 keywords)", keyword_in(items), len(items), args.repeat
        )
        for label, explain in (
            ("normalise + match", None),
            ("normalise + match + classify", Explain.NONE),
            ("  ... campaign verdicts explained (detect run)", Explain.CAMPAIGN),
            ("  ... every verdict explained (detect text)", Explain.ALL),
        ):
            figure = rate(label, chain(explain), len(items), args.repeat, fresh)
            if explain == Explain.NONE:
                judged = figure
        print(f"whole chain / keyword search: {judged / keyword:.2f}")


if __name__ == "__main__":
    main()
