"""Training and measuring the campaign model on labelled sets (``netra model …``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from netra.detection.classify import CampaignModel, Classifier, Explain, TrainingRow
from netra.detection.corpus import Example, LabelledSet, examples_digest
from netra.detection.verdict import ContentClass, Verdict

CLASSES = [c.value for c in ContentClass]


def training_rows(labelled: LabelledSet) -> list[TrainingRow]:
    rows = []
    for example in labelled.examples:
        lexicon = labelled.lexicons[example.election]
        rows.append(
            TrainingRow(
                scan=lexicon.scan(example.text),
                candidates=len(lexicon.candidates),
                content_class=example.content_class.value,
                stance=example.stance.value,
                target=example.target,
            )
        )
    return rows


def training_digest(sets: Sequence[LabelledSet]) -> str:
    """SHA-256 of everything ``sets`` teach: examples, labels and election lexicons."""
    lexicons = {f"{s.name}/{slug}": lex for s in sets for slug, lex in s.lexicons.items()}
    return examples_digest([e for labelled in sets for e in labelled.examples], lexicons)


def train(sets: Sequence[LabelledSet]) -> CampaignModel:
    """A model trained on every example of ``sets``."""
    rows = [row for labelled in sets for row in training_rows(labelled)]
    counts = {labelled.name: len(labelled.examples) for labelled in sets}
    return CampaignModel.train(rows, digest=training_digest(sets), counts=counts)


@dataclass
class Report:
    """What a model got right and wrong on one labelled set."""

    name: str
    model_version: str
    total: int = 0
    confusion: dict[str, Counter[str]] = field(default_factory=dict)
    stance_right: int = 0
    target_right: int = 0
    campaign_total: int = 0
    campaign_stance_right: int = 0
    campaign_target_right: int = 0
    everyday_total: int = 0
    everyday_flagged: int = 0
    misses: list[tuple[Example, Verdict]] = field(default_factory=list)

    def precision(self, label: str) -> float:
        predicted = sum(row[label] for row in self.confusion.values())
        return self.confusion.get(label, Counter())[label] / predicted if predicted else 0.0

    def recall(self, label: str) -> float:
        row = self.confusion.get(label, Counter())
        return row[label] / sum(row.values()) if row else 0.0

    def f1(self, label: str) -> float:
        p, r = self.precision(label), self.recall(label)
        return 2 * p * r / (p + r) if p + r else 0.0

    def false_positive_rate(self, label: str) -> float:
        """Share of ``label`` examples judged campaign."""
        row = self.confusion.get(label, Counter())
        return row[ContentClass.CAMPAIGN] / sum(row.values()) if row else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "examples": self.total,
            "classes": {
                label: {
                    "precision": round(self.precision(label), 4),
                    "recall": round(self.recall(label), 4),
                    "f1": round(self.f1(label), 4),
                    "support": sum(self.confusion.get(label, Counter()).values()),
                }
                for label in CLASSES
            },
            "confusion": {
                gold: [self.confusion.get(gold, Counter())[p] for p in CLASSES] for gold in CLASSES
            },
            "campaign_recall": round(self.recall(ContentClass.CAMPAIGN), 4),
            "false_positive_unrelated": round(self.false_positive_rate(ContentClass.UNRELATED), 4),
            "false_positive_political_neutral": round(
                self.false_positive_rate(ContentClass.POLITICAL_NEUTRAL), 4
            ),
            "false_positive_everyday": round(
                self.everyday_flagged / self.everyday_total if self.everyday_total else 0.0, 4
            ),
            "stance_accuracy": round(self.stance_right / self.total, 4) if self.total else 0.0,
            "stance_accuracy_campaign": round(self.campaign_stance_right / self.campaign_total, 4)
            if self.campaign_total
            else 0.0,
            "target_accuracy": round(self.target_right / self.total, 4) if self.total else 0.0,
            "target_accuracy_campaign": round(self.campaign_target_right / self.campaign_total, 4)
            if self.campaign_total
            else 0.0,
        }


def evaluate(model: CampaignModel, labelled: LabelledSet) -> Report:
    """Judge every example of ``labelled`` with ``model`` and count."""
    report = Report(labelled.name, model.version)
    by_election: dict[str, list[Example]] = {}
    for example in labelled.examples:
        by_election.setdefault(example.election, []).append(example)
    for slug, examples in by_election.items():
        classifier = Classifier(labelled.lexicons[slug], model)
        for example, verdict in zip(
            examples,
            classifier.verdicts([e.text for e in examples], explain=Explain.NONE),
            strict=True,
        ):
            _count(report, example, verdict)
    return report


def _count(report: Report, example: Example, verdict: Verdict) -> None:
    report.total += 1
    gold = example.content_class
    report.confusion.setdefault(gold, Counter())[verdict.content_class] += 1
    stance_ok = verdict.stance == example.stance
    target_ok = verdict.target == example.target
    report.stance_right += stance_ok
    report.target_right += target_ok
    if gold == ContentClass.CAMPAIGN:
        report.campaign_total += 1
        report.campaign_stance_right += stance_ok
        report.campaign_target_right += target_ok
    if gold == ContentClass.UNRELATED and "everyday" in example.tags:
        report.everyday_total += 1
        report.everyday_flagged += verdict.content_class == ContentClass.CAMPAIGN
    if verdict.content_class != gold or not stance_ok or not target_ok:
        report.misses.append((example, verdict))
