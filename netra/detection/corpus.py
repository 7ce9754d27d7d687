"""The labelled campaign corpus: examples with the lexicon of their election.

A set is a folder with ``elections.yaml`` (the format of ``netra elections import``) and
``examples.jsonl`` (``data/corpus/README.md``). Its elections are read without the
database, so a set can be trained on or evaluated on a fresh install; examples from
supervisors' decisions come from the database (``netra.detection.selectors``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError

from netra.detection.lexicon import CandidateSource, Lexicon
from netra.detection.verdict import ContentClass, Stance
from netra.elections.importers import ElectionsDocument

CORPUS = Path(__file__).parent / "data" / "corpus"
TRAIN = CORPUS / "train"
TEST = CORPUS / "test"


class CorpusError(Exception):
    """A corpus set that cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text of one election."""

    id: str
    election: str  # the election's slug
    text: str
    content_class: ContentClass
    stance: Stance
    target: int | None
    tags: tuple[str, ...] = ()
    platform: str = ""

    def label_key(self) -> str:
        """What the example teaches, for the training-data hash."""
        return json.dumps(
            [self.election, self.text, self.content_class, self.stance, self.target],
            ensure_ascii=False,
        )


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """Examples with the lexicon of each election they name."""

    name: str
    examples: tuple[Example, ...]
    lexicons: dict[str, Lexicon]


def examples_digest(examples: Iterable[Example], lexicons: dict[str, Lexicon]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        digest.update(example.label_key().encode())
        digest.update(b"\n")
    for slug in sorted(lexicons):
        digest.update(f"{slug}:{lexicons[slug].version}\n".encode())
    return digest.hexdigest()


def election_lexicons(path: Path) -> dict[str, Lexicon]:
    """The lexicon of each election in an elections file, compiled without the database.

    Candidates get made-up ids (position of the election * 1000 + ballot number): they
    identify a candidate within this set only."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        document = ElectionsDocument.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise CorpusError(
            _("%(path)s tidak dapat dibaca: %(error)s") % {"path": path, "error": exc}
        ) from exc
    lexicons = {}
    for position, election in enumerate(document.elections, start=1):
        lexicons[election.slug] = Lexicon(
            [
                CandidateSource(
                    id=position * 1000 + candidate.number,
                    number=candidate.number,
                    name=candidate.name,
                    running_mate=candidate.running_mate,
                    party_or_coalition=candidate.party_or_coalition,
                    aliases=tuple(candidate.aliases),
                    hashtags=tuple(candidate.hashtags),
                    slogans=tuple(candidate.slogans),
                    handles=tuple(account.handle for account in candidate.accounts),
                )
                for candidate in election.candidates
            ]
        )
    return lexicons


def _example(line: str, where: str, slugs: Sequence[str]) -> Example:
    try:
        row = json.loads(line)
        example = Example(
            id=str(row["id"]),
            election=str(row["election"]),
            text=str(row["text"]),
            content_class=ContentClass(row["class"]),
            stance=Stance(row["stance"]),
            target=None if row.get("target") is None else int(row["target"]),
            tags=tuple(str(tag) for tag in row.get("tags", ())),
            platform=str(row.get("platform", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(
            _("%(where)s: contoh tidak dapat dibaca (%(error)s)") % {"where": where, "error": exc}
        ) from exc
    if example.election not in slugs:
        raise CorpusError(
            _("%(where)s: pemilihan %(slug)s tidak ada di elections.yaml")
            % {"where": where, "slug": example.election}
        )
    if (example.content_class == ContentClass.CAMPAIGN) != (example.stance != Stance.NEUTRAL):
        raise CorpusError(
            _("%(where)s: hanya contoh kampanye yang bersikap mendukung atau menyerang")
            % {"where": where}
        )
    return example


def read_set(folder: Path) -> LabelledSet:
    """Read a corpus set folder; ``CorpusError`` names the first bad file or line."""
    lexicons = election_lexicons(folder / "elections.yaml")
    path = folder / "examples.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(
            _("%(path)s tidak dapat dibaca: %(error)s") % {"path": path, "error": exc}
        ) from exc
    slugs = list(lexicons)
    examples = tuple(
        _example(line, f"{path}:{number}", slugs)
        for number, line in enumerate(lines, start=1)
        if line.strip()
    )
    return LabelledSet(folder.name, examples, lexicons)
