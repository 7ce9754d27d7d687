"""The campaign classifier: class, stance and target of a text for one election.

A text is normalised and matched against its election's lexicon; every candidate
mention is then replaced by a placeholder of its kind (``calon_number``, ``calon_alias``;
``lemah_…`` for a weak term the lexicon did not count), so the model learns how support
and attack are written, not who is named, and works for elections it never saw. Three
linear models (TF-IDF of word 1-2-grams and character 2-5-grams, multinomial logistic
regression) read these views:

- the class model: campaign, political_neutral or unrelated;
- the stance model: support or oppose, for a campaign text without a candidate named;
- the target model: for each candidate the text names, the text with that candidate as
  ``sasaran_…`` and the others as ``lain_…``: support, oppose or none. The candidate with
  the most support-or-oppose is the target.

A weak term (``02``, ``amin``, a bare ``loro``) that the lexicon set aside counts as the
target of a text the class model judges campaign: that judgement is the context it
lacked, and the reasons say so.

The model file is gzipped JSON (no pickle): vocabularies, IDF weights, coefficients,
the training-data hash and the metrics measured when it was written. ``netra model
train`` writes one, ``netra model evaluate`` measures one, and the setting
``NETRA_DETECTION_MODEL`` chooses the running one (the shipped file by default).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from netra.detection.lexicon import Hit, Lexicon, Scan
from netra.detection.models import TermKind
from netra.detection.normalise import data_words
from netra.detection.textmodel import TextModel
from netra.detection.verdict import ContentClass, MatchedTerm, Stance, Verdict

FORMAT = 1
SHIPPED_MODEL = Path(__file__).parent / "data" / "models" / "campaign.json.gz"

# Number words that name a ballot number when a campaign text names no candidate
# otherwise ("siji wae", "opat, moal robah", "3 aja udah"): Indonesian, Javanese (ngoko,
# krama), Sundanese, Minang, Batak and Malay forms as normalise() leaves them.
NUMBER_WORDS = {
    **dict.fromkeys(("1", "satu", "siji", "setunggal", "hiji", "ciek", "sada", "sikok"), 1),
    **dict.fromkeys(("2", "dua", "loro", "kalih", "duo"), 2),
    **dict.fromkeys(("3", "tiga", "telu", "tigo", "tilu", "tolu"), 3),
    **dict.fromkeys(("4", "empat", "papat", "sekawan", "opat", "ampek"), 4),
    **dict.fromkeys(("5", "lima", "gangsal", "limo"), 5),
}
NO_TARGET = "none"
# A named candidate is the target when the target model gives it at least this much
# support-or-oppose; below it, a campaign text has no target (a call to abstain).
TARGET_THRESHOLD = 0.35


class ModelError(Exception):
    """A model file that cannot be used; the message names the file."""


# --- views ---------------------------------------------------------------------------------


class Mention(NamedTuple):
    """A candidate named in a text, by one hit (a tuple: made for every hit of every text)."""

    number: int
    hit: Hit | None  # None for a bare number word (``siji``)
    counted: bool  # the lexicon counted it (strong, or weak with context)
    first: int
    last: int
    kind: str


def mentions(scan: Scan, candidates: int) -> list[Mention]:
    """The candidate mentions of ``scan``: the lexicon's hits, its weak terms set aside,
    and, when it found neither, number words up to the number of ``candidates``."""
    found = [Mention(h.number, h, True, h.first, h.last, h.kind) for h in scan.hits]
    found += [Mention(h.number, h, False, h.first, h.last, h.kind) for h in scan.unsupported]
    if not found:
        for index, token in enumerate(scan.normalised.tokens):
            number = NUMBER_WORDS.get(token)
            if number is not None and number <= candidates:
                found.append(Mention(number, None, False, index, index, "number_word"))
    return found


@cache
def _address() -> frozenset[str]:
    return data_words("address.txt")


def _everyday_name(mention: Mention) -> bool:
    """A name or nickname hit of one given name, with or without a form of address."""
    if mention.hit is None or mention.kind not in ("name", "alias"):
        return False
    words = [word for word in mention.hit.term.split() if word not in _address()]
    return len(words) <= 1


def view(scan: Scan, found: Sequence[Mention], target: int | None = None) -> list[str]:
    """The normalised tokens with every mention replaced by its placeholder; with ``target``
    the placeholders also say whether they name that candidate (``sasaran_``) or another
    (``lain_``). Bare number words are left as written: only the target view marks them."""
    tokens: list[str | None] = list(scan.normalised.tokens)
    for mention in found:
        if mention.hit is None and target is None:
            continue
        if not mention.counted:
            strength = "sisih"  # set aside by the lexicon: no context made it count
        elif _everyday_name(mention):
            strength = "lemah"
        else:
            strength = "calon"
        who = "" if target is None else ("sasaran_" if mention.number == target else "lain_")
        tokens[mention.first] = f"{who}{strength}_{mention.kind}"
        for index in range(mention.first + 1, mention.last + 1):
            tokens[index] = None
    shape = (
        "f_tanpa_calon"
        if not found
        else ("f_satu_calon" if len({m.number for m in found}) == 1 else "f_banyak_calon")
    )
    return [token for token in tokens if token is not None] + [shape]


_SHOWN = {"calon": "", "lemah": " (nama sehari-hari)", "sisih": " (tanpa konteks)"}


@lru_cache(maxsize=1024)
def _translated(message: str, language: str | None) -> str:
    """``gettext(message)`` kept per language: Django's lookup costs some 10 µs a call, and
    an explained batch asks for the same few sentences thousands of times."""
    return _(message)


@lru_cache(maxsize=64)
def _label(choice: Any, language: str | None) -> str:  # an enum member with a label
    return str(choice.label)


@lru_cache(maxsize=100_000)
def _shown(feature: str, language: str | None) -> str:
    return shown(feature)


def shown(feature: str) -> str:
    """A feature as a supervisor reads it: placeholders in brackets (``[calon: nomor urut]``),
    the text's shape flags dropped."""
    words = []
    for word in feature.split():
        if word.startswith("f_"):
            continue
        strength, _sep, kind = word.removeprefix("sasaran_").removeprefix("lain_").partition("_")
        if kind and strength in _SHOWN:
            label = TermKind(kind).label if kind in TermKind.values else _("kata bilangan")
            word = f"[{_('calon')}: {label}{_SHOWN[strength]}]"
        words.append(word)
    return " ".join(words)


# --- one linear text model -----------------------------------------------------------------


# --- the campaign model --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrainingRow:
    """One example as the models see it."""

    scan: Scan
    candidates: int
    content_class: str
    stance: str
    target: int | None


class CampaignModel:
    """The three text models with what they were made from (one model file)."""

    def __init__(
        self,
        content: TextModel,
        stance: TextModel,
        target: TextModel,
        meta: dict[str, Any],
    ) -> None:
        self.content = content
        self.stance = stance
        self.target = target
        self.meta = meta

    @property
    def version(self) -> str:
        return str(self.meta["version"])

    @classmethod
    def train(
        cls, rows: Sequence[TrainingRow], *, digest: str, counts: dict[str, int], c: float = 30.0
    ) -> CampaignModel:
        found = [mentions(row.scan, row.candidates) for row in rows]
        content = TextModel.fit(
            [view(row.scan, m) for row, m in zip(rows, found, strict=True)],
            [row.content_class for row in rows],
            c=c,
        )
        campaign = [(row, m) for row, m in zip(rows, found, strict=True) if row.stance != "neutral"]
        stance = TextModel.fit(
            [view(row.scan, m) for row, m in campaign], [row.stance for row, _m in campaign], c=c
        )
        texts: list[list[str]] = []
        labels: list[str] = []
        for row, m in campaign:
            for number in sorted({mention.number for mention in m}):
                texts.append(view(row.scan, m, number))
                labels.append(row.stance if number == row.target else NO_TARGET)
        target = TextModel.fit(texts, labels, c=c)
        created = datetime.now(UTC)
        version = f"{created:%Y%m%d}-{digest[:10]}"
        meta = {
            "format": FORMAT,
            "version": version,
            "created_at": created.isoformat(timespec="seconds"),
            "training_data_sha256": digest,
            "examples": counts,
            "settings": {"C": c, "words": "1-2", "chars": "char_wb 2-5, min_df 2"},
            "metrics": {},
        }
        return cls(content, stance, target, meta)

    # --- files ------------------------------------------------------------------------------

    def write(self, path: Path) -> str:
        """Write the model file; returns its SHA-256."""
        data = {
            "meta": self.meta,
            "content": self.content.as_json(),
            "stance": self.stance.as_json(),
            "target": self.target.as_json(),
        }
        raw = gzip.compress(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(raw)
        partial.replace(path)
        return hashlib.sha256(raw).hexdigest()

    @classmethod
    def read(cls, path: Path) -> CampaignModel:
        try:
            data = json.loads(gzip.decompress(path.read_bytes()))
            if data["meta"]["format"] != FORMAT:
                raise ModelError(
                    _("%(path)s: format model %(format)s tidak dikenal")
                    % {"path": path, "format": data["meta"]["format"]}
                )
            return cls(
                TextModel.from_json(data["content"]),
                TextModel.from_json(data["stance"]),
                TextModel.from_json(data["target"]),
                data["meta"],
            )
        except ModelError:
            raise
        except (OSError, EOFError, ValueError, KeyError, TypeError, gzip.BadGzipFile) as exc:
            raise ModelError(
                _("%(path)s bukan berkas model Netra yang dapat dibaca: %(error)s")
                % {"path": path, "error": exc}
            ) from exc


_MODELS: dict[Path, CampaignModel] = {}
_LOCK = threading.Lock()


def model_path() -> Path:
    """The running model file: ``NETRA_DETECTION_MODEL``, else the shipped one."""
    configured = getattr(settings, "NETRA_DETECTION_MODEL", "")
    return Path(configured) if configured else SHIPPED_MODEL


def running_model() -> CampaignModel:
    """The model the settings choose, read once per process."""
    path = model_path()
    with _LOCK:
        model = _MODELS.get(path)
        if model is None:
            model = CampaignModel.read(path)
            _MODELS[path] = model
    return model


def _shown_features(
    pushes: Sequence[tuple[str, float]], language: str | None, count: int = 5
) -> tuple[tuple[str, float], ...]:
    kept: dict[str, float] = {}
    for name, weight in pushes:
        name = _shown(name, language)
        if name and name not in kept:
            kept[name] = weight
    return tuple(kept.items())[:count]


# --- verdicts ------------------------------------------------------------------------------


def item_text(title: str, text: str) -> str:
    """What of an item is judged: its title (a video's) and its text."""
    return f"{title}\n{text}" if title and text else (title or text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Judging a batch makes millions of small objects and no reference cycles; left on,
    the cyclic garbage collector walks every object alive (the caches, the batch) again
    and again, and costs as much as the judging itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _percent(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


class Explain(StrEnum):
    """Which verdicts carry their reasons and strongest features (they cost time)."""

    ALL = "all"
    CAMPAIGN = "campaign"  # a detection run: only what may become a flag
    NONE = "none"


class Classifier:
    """One election's lexicon with a campaign model: texts in, verdicts out."""

    def __init__(self, lexicon: Lexicon, model: CampaignModel) -> None:
        self.lexicon = lexicon
        self.model = model
        self._by_number = {c.number: c for c in lexicon.candidates}
        self._language: str | None = None

    def verdicts(self, texts: Sequence[str], *, explain: Explain = Explain.ALL) -> list[Verdict]:
        """The verdicts of ``texts``, in order (give a batch: hundreds to thousands)."""
        with _collector_paused():
            scans = [self.lexicon.scan(text) for text in texts]
            return self.judge(scans, explain=explain)

    def judge(self, scans: Sequence[Scan], *, explain: Explain = Explain.ALL) -> list[Verdict]:
        """The verdicts of already matched texts, in order."""
        if not scans:
            return []
        self._language = get_language()  # the reasons' language, looked up once a batch
        count = len(self.lexicon.candidates)
        found = [mentions(scan, count) for scan in scans]
        scores, words = self.model.content.scores(
            [view(scan, m) for scan, m in zip(scans, found, strict=True)]
        )
        probabilities = TextModel.softmax(scores)
        classes = self.model.content.classes
        campaign_column = classes.index(ContentClass.CAMPAIGN)
        decided = probabilities.argmax(axis=1)
        # Target and stance only for the texts judged campaign: the target model for those
        # that name candidates, the stance model for those left without a target.
        campaign = [i for i in range(len(scans)) if decided[i] == campaign_column]
        target_views: list[list[str]] = []
        target_of: list[tuple[int, int]] = []
        for i in campaign:
            for number in sorted({m.number for m in found[i]}):
                target_views.append(view(scans[i], found[i], number))
                target_of.append((i, number))
        target_p = self.model.target.proba(target_views) if target_views else np.zeros((0, 3))
        per_text: dict[int, list[tuple[int, np.ndarray]]] = {}
        for (i, number), row in zip(target_of, target_p, strict=True):
            per_text.setdefault(i, []).append((number, row))
        targeted: dict[int, tuple[Stance, int | None]] = {}
        for i, candidates in per_text.items():
            decided_target = self._target(candidates)
            if decided_target is not None:
                targeted[i] = decided_target
        untargeted = [i for i in campaign if i not in targeted]
        stance_p = (
            self.model.stance.proba([view(scans[i], found[i]) for i in untargeted])
            if untargeted
            else np.zeros((0, 2))
        )
        for i, row in zip(untargeted, stance_p, strict=True):
            targeted[i] = (Stance(self.model.stance.classes[int(row.argmax())]), None)
        verdicts = []
        for i, scan in enumerate(scans):
            content_class = ContentClass(classes[decided[i]])
            score = float(probabilities[i, campaign_column])
            stance, target = Stance.NEUTRAL, None
            if content_class == ContentClass.CAMPAIGN:
                stance, target = targeted[i]
            verdicts.append(
                self._verdict(
                    scan,
                    found[i],
                    content_class,
                    stance,
                    target,
                    score,
                    float(probabilities[i, decided[i]]),
                    (words, i)
                    if explain == Explain.ALL
                    or (explain == Explain.CAMPAIGN and content_class == ContentClass.CAMPAIGN)
                    else None,
                )
            )
        return verdicts

    def _target(
        self, candidates: Sequence[tuple[int, np.ndarray]]
    ) -> tuple[Stance, int | None] | None:
        """The stance towards the named candidate the text most supports or attacks, or
        None when none reaches ``TARGET_THRESHOLD``."""
        classes = self.model.target.classes
        none = classes.index(NO_TARGET)
        number, row = max(candidates, key=lambda candidate: 1.0 - candidate[1][none])
        if 1.0 - row[none] < TARGET_THRESHOLD:
            return None
        engaged = row.copy()
        engaged[none] = -1.0
        return Stance(classes[int(engaged.argmax())]), number

    def _verdict(
        self,
        scan: Scan,
        found: Sequence[Mention],
        content_class: ContentClass,
        stance: Stance,
        target: int | None,
        score: float,
        confidence: float,
        words: tuple[sp.csr_matrix, int] | None,
    ) -> Verdict:
        candidate = self._by_number.get(target) if target is not None else None
        # The terms of a text not judged campaign are kept only when it is explained.
        explained = words is not None or content_class == ContentClass.CAMPAIGN
        terms = tuple(
            MatchedTerm(
                candidate_number=m.number,
                term=m.hit.term if m.hit else scan.normalised.tokens[m.first],
                kind=m.kind,
                surface=m.hit.surface if m.hit else scan.normalised.tokens[m.first],
                start=m.hit.start if m.hit else -1,
                end=m.hit.end if m.hit else -1,
                support=(m.hit.support or "") if m.hit else "",
            )
            for m in (found if explained else ())
        )
        features: tuple[tuple[str, float], ...] = ()
        reasons: list[str] = []
        if words is not None:
            features = _shown_features(
                self.model.content.strongest(*words, content_class), self._language
            )
            reasons = self._reasons(found, content_class, stance, target, confidence, features)
        return Verdict(
            content_class=content_class,
            stance=stance,
            target=target,
            target_id=candidate.id if candidate else None,
            target_name=candidate.name if candidate else "",
            score=score,
            model_version=self.model.version,
            reasons=tuple(reasons),
            features=features,
            terms=terms,
        )

    def _reasons(
        self,
        found: Sequence[Mention],
        content_class: ContentClass,
        stance: Stance,
        target: int | None,
        confidence: float,
        features: Sequence[tuple[str, float]],
    ) -> list[str]:
        language = self._language
        tr = partial(_translated, language=language)
        reasons = []
        for m in found:
            surface = m.hit.surface if m.hit else ""
            if m.hit is None:
                if content_class == ContentClass.CAMPAIGN and m.number == target:
                    reasons.append(
                        tr(
                            "Kata bilangan dibaca sebagai nomor urut %(number)s karena teks "
                            "dinilai kampanye dan tidak menyebut calon lain."
                        )
                        % {"number": m.number}
                    )
                continue
            kind = _label(m.hit.kind, language)
            if m.counted:
                reasons.append(
                    tr("Menyebut calon nomor %(number)s lewat “%(surface)s” (%(kind)s).")
                    % {"number": m.number, "surface": surface, "kind": kind}
                )
            elif content_class == ContentClass.CAMPAIGN and m.number == target:
                reasons.append(
                    tr(
                        "“%(surface)s” juga kata sehari-hari; dihitung sebagai calon nomor "
                        "%(number)s karena teks dinilai kampanye."
                    )
                    % {"number": m.number, "surface": surface}
                )
            else:
                reasons.append(
                    tr(
                        "“%(surface)s” juga kata sehari-hari; tidak dihitung sebagai calon nomor "
                        "%(number)s tanpa konteks kampanye."
                    )
                    % {"number": m.number, "surface": surface}
                )
        words = ", ".join(f"“{name}”" for name, _weight in features)
        reasons.append(
            tr("Dinilai %(class)s dengan peluang %(p)s (model %(version)s)%(features)s.")
            % {
                "class": _label(content_class, language),
                "p": _percent(confidence),
                "version": self.model.version,
                "features": (tr("; ciri terkuat: %(words)s") % {"words": words}) if words else "",
            }
        )
        if content_class == ContentClass.CAMPAIGN:
            if target is None:
                reasons.append(
                    tr("Sikap: %(stance)s, tanpa calon tertentu.")
                    % {"stance": _label(stance, language)}
                )
            else:
                reasons.append(
                    tr("Sikap: %(stance)s calon nomor %(number)s.")
                    % {"stance": _label(stance, language), "number": target}
                )
        return reasons
