"""An election's lexicon: which candidate a text names, by which term, and why it counts.

The lexicon is compiled from the election's candidates, with nothing written per election:
names and their parts, running mates, the pair ("bagus ratna"), aliases, pair acronyms
(given ones, and ones guessed from the first names: Anies and Muhaimin give "amin"), slogans,
hashtags, official accounts' handles, the nominating parties, the ballot number, and the
aliases staff added (``LexiconAlias``). Terms are written the way ``normalise`` writes
text and found in one Aho-Corasick pass over the normalised text, on word boundaries (a
space on either side of every key).

Some terms are also everyday words or common names: "amin" after a prayer, "bagus"
(good), "Demokrat", a bare "nomor 2" or "02", ✌️. Such a weak term counts only with support:
a campaign word within ``window`` tokens of it (``data/campaign.txt``: coblos, pilih,
dukung, menang, paslon, periode, …), or a strong term of the same candidate anywhere in
the text. A term shared by two candidates, and a guessed acronym that is an everyday word,
count only with the second kind. Weak terms seen without support are reported apart
(``Scan.unsupported``), so that a reviewer can see what was set aside and why.

``lexicon_for(election)`` keeps one compiled lexicon per election and compiles it again
when the election's candidates, accounts or aliases have changed: it compares a hash of
their content (``Lexicon.version``) on every call, three small queries; no signal needed.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from enum import StrEnum
from functools import cache
from operator import attrgetter

import ahocorasick

from netra.detection.models import LexiconAlias, TermKind
from netra.detection.normalise import (
    Normalised,
    Normaliser,
    Tagged,
    data_lines,
    data_words,
    slot_setters,
    words,
)
from netra.detection.selectors import candidates_of, lexicon_aliases
from netra.elections.models import Candidate, Election
from netra.elections.selectors import candidates_with_accounts

# Bumped when the way terms are compiled changes, so that cached versions are not reused.
_FORMAT = 1
WINDOW = 5
# Of the terms a candidate has for the same words, the one reported (strong before weak).
_KIND_ORDER = [
    TermKind.NAME,
    TermKind.ALIAS,
    TermKind.ACRONYM,
    TermKind.SLOGAN,
    TermKind.HASHTAG,
    TermKind.PARTY,
]
_PARTY_SPLIT = re.compile(r"\s*(?:[,;/&+|]|\s-\s|\sdan\s)\s*", re.IGNORECASE)
_RAW_WORDS = re.compile(r"[^\W_]+(?:['’`][^\W_]+)*")
_SYLLABLE = re.compile(r"[^aeiou]*[aeiou](?:[^aeiou](?![aeiou]))?")


class Support(StrEnum):
    """What made a weak term count."""

    CAMPAIGN = "campaign"  # a campaign word near it
    CANDIDATE = "candidate"  # a strong term of the same candidate in the text


@dataclass(frozen=True, slots=True)
class CandidateSource:
    """What the lexicon compiles for one candidate (read from the database, or given)."""

    id: int
    number: int
    name: str
    running_mate: str = ""
    party_or_coalition: str = ""
    aliases: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    added: tuple[tuple[str, str], ...] = ()  # (term, TermKind value) from LexiconAlias


@dataclass(frozen=True, slots=True, init=False)
class Hit:
    """One mention of a candidate: by which term, of which kind, where, and why it counts.

    ``start``/``end`` is the span in the original text (``surface`` that slice),
    ``first``/``last`` the token indices in the normalised text. ``weak`` says that the
    term alone is ambiguous; ``support`` and ``context`` say what made it count (None and
    "" for a strong term, and for a weak one in ``Scan.unsupported``).
    """

    candidate_id: int
    number: int
    term: str
    kind: TermKind
    start: int
    end: int
    surface: str
    first: int
    last: int
    weak: bool
    support: Support | None = None
    context: str = ""

    def __init__(
        self,
        candidate_id: int,
        number: int,
        term: str,
        kind: TermKind,
        start: int,
        end: int,
        surface: str,
        first: int,
        last: int,
        weak: bool,
        support: Support | None = None,
        context: str = "",
    ) -> None:
        at = _HIT_SLOTS  # in the order of the fields (see slot_setters: made per hit)
        at[0](self, candidate_id)
        at[1](self, number)
        at[2](self, term)
        at[3](self, kind)
        at[4](self, start)
        at[5](self, end)
        at[6](self, surface)
        at[7](self, first)
        at[8](self, last)
        at[9](self, weak)
        at[10](self, support)
        at[11](self, context)


_HIT_SLOTS = slot_setters(
    Hit, "candidate_id number term kind start end surface first last weak support context"
)


@dataclass(frozen=True, slots=True)
class Scan:
    """A text normalised and matched: the hits that count, and weak ones set aside."""

    normalised: Normalised
    hits: tuple[Hit, ...]
    unsupported: tuple[Hit, ...]

    @property
    def candidate_ids(self) -> frozenset[int]:
        """The candidates the text mentions (by counted hits)."""
        return frozenset(hit.candidate_id for hit in self.hits)


@dataclass(frozen=True, slots=True)
class Term:
    """One compiled term of one candidate."""

    candidate: int  # index into Lexicon.candidates
    term: str
    kind: TermKind
    weak: bool
    # Counts only with a strong term of the same candidate (shared between candidates, or
    # a guessed acronym that is an everyday word), never with campaign words alone.
    needs_candidate: bool = False


# A hit before it is decided, made per hit and so a plain tuple: candidate (index), first
# token, minus the last token, weak, not a hashtag or handle given exactly, arrival number,
# then term, kind, needs_candidate and a hashtag's or handle's own span (with # or @; None
# for the others). Sorted as they are, hits come in the order ``_outermost`` needs, the
# arrival number keeping equal ones in the order they were found.
_Raw = tuple[int, int, int, bool, bool, int, str, TermKind, bool, tuple[int, int] | None]
# What one automaton key holds: per term, the fields of its _Raw that do not depend on where
# it was found (candidate, weak, not exact, term, kind, needs_candidate).
_Found = tuple[int, bool, bool, str, TermKind, bool]
_EXACT = (TermKind.HASHTAG, TermKind.ACCOUNT)
_ORDER = attrgetter("start", "number", "end")


@cache
def common_words() -> frozenset[str]:
    """Everyday words, common given names and honorifics (a term of only these is weak)."""
    return words() | data_words("names.txt")


@cache
def _titles() -> frozenset[str]:
    return data_words("titles.txt")


@cache
def _campaign_phrases() -> tuple[str, ...]:
    return tuple(data_lines("campaign.txt"))


def _syllables(word: str) -> list[str]:
    return _SYLLABLE.findall(word)


def _open(syllable: str) -> str:
    return syllable.rstrip("bcdfghjklmnpqrstvwxyz") or syllable


def guessed_acronyms(head: str, mate: str) -> set[str]:
    """Pair acronyms in the Indonesian manner from two first names: the head's first
    syllable with the mate's first or last one (Anies + Muhaimin → "amin", Ganjar +
    Mahfud → "gama"); four letters at least."""
    heads, mates = _syllables(head), _syllables(mate)
    if not heads or not mates:
        return set()
    starts = {heads[0], _open(heads[0])}
    ends = {mates[0], _open(mates[0]), mates[-1]}
    return {a + b for a in starts for b in ends if len(a + b) >= 4}


class Lexicon:
    """The compiled lexicon of one election's candidates; immutable, safe to share."""

    def __init__(self, candidates: Sequence[CandidateSource], *, window: int = WINDOW) -> None:
        self.candidates = tuple(candidates)
        self.version = lexicon_version(self.candidates)
        self.window = window
        names = {
            word.lower()
            for c in self.candidates
            for text in (c.name, c.running_mate, *c.aliases)
            for word in _RAW_WORDS.findall(text)
        }
        self.normaliser = Normaliser(extra_words=names)
        self._common = common_words()
        self._by_number = {c.number: index for index, c in enumerate(self.candidates)}
        self._hashtags: dict[str, list[int]] = {}
        self._handles: dict[str, list[int]] = {}
        terms: dict[str, dict[int, Term]] = {}
        for index, candidate in enumerate(self.candidates):
            for term in self._terms_of(index, candidate):
                mine = terms.setdefault(term.term, {})
                mine[index] = min(
                    [term, *([mine[index]] if index in mine else [])],
                    key=lambda t: (t.weak, t.needs_candidate, _KIND_ORDER.index(t.kind)),
                )
        compiled: list[Term] = []
        automaton = ahocorasick.Automaton()
        entries: dict[str, tuple[list[Term], str]] = {}
        for text, by_candidate in terms.items():
            shared = len(by_candidate) > 1
            for term in by_candidate.values():
                if shared:
                    term = Term(term.candidate, term.term, term.kind, True, True)
                compiled.append(term)
                entries.setdefault(text, ([], ""))[0].append(term)
        for phrase in _campaign_phrases():
            text = " ".join(self.normaliser.words(phrase))
            if text:
                entries[text] = (entries.get(text, ([], ""))[0], text)
        for text, (found, context) in entries.items():
            fixed = tuple(
                (
                    t.candidate,
                    t.weak,
                    t.kind not in _EXACT or t.term[0] not in "#@",
                    t.term,
                    t.kind,
                    t.needs_candidate,
                )
                for t in found
            )
            automaton.add_word(f" {text} ", (len(text) + 2, text.count(" "), fixed, context))
        automaton.make_automaton()
        self._automaton = automaton
        self.terms = tuple(sorted(compiled, key=lambda t: (t.candidate, t.kind, t.term)))

    # --- compiling ------------------------------------------------------------------------

    def _words(self, text: str) -> tuple[str, ...]:
        return self.normaliser.words(text)

    def _weak(self, tokens: Sequence[str]) -> bool:
        if len("".join(tokens)) <= 2:
            return True
        return len(tokens) <= 2 and all(token in self._common for token in tokens)

    def _term(self, index: int, tokens: Sequence[str], kind: TermKind, **flags: bool) -> Term:
        weak = flags.get("weak", self._weak(tokens))
        return Term(index, " ".join(tokens), kind, weak, flags.get("needs_candidate", False))

    def _person(self, full: str) -> tuple[str, ...]:
        kept = [
            word
            for word in _RAW_WORDS.findall(full)
            if len(word) > 1 and word.lower().replace("'", "") not in _titles()
        ]
        return self._words(" ".join(kept))

    def _terms_of(self, index: int, candidate: CandidateSource) -> Iterable[Term]:
        firsts = []
        for full in (candidate.name, candidate.running_mate):
            tokens = self._person(full)
            if not tokens:
                continue
            firsts.append(tokens[0])
            # The full name is specific even when each part is common (Agus Salim).
            yield self._term(
                index, tokens, TermKind.NAME, weak=len(tokens) == 1 and self._weak(tokens)
            )
            for part in tokens:
                if len(part) > 2:
                    yield self._term(index, (part,), TermKind.NAME)
        if len(firsts) == 2:
            yield self._term(index, firsts, TermKind.NAME, weak=False)  # bagus ratna
            for acronym in sorted(guessed_acronyms(*firsts)):
                yield self._term(
                    index,
                    (acronym,),
                    TermKind.ACRONYM,
                    weak=True,
                    needs_candidate=acronym in self._common,
                )
        for alias in candidate.aliases:
            yield from self._alias(index, alias, TermKind.ALIAS)
        for slogan in candidate.slogans:
            yield from self._alias(index, slogan, TermKind.SLOGAN)
        for hashtag in candidate.hashtags:
            yield from self._alias(index, hashtag, TermKind.HASHTAG)
        for handle in candidate.handles:
            yield from self._alias(index, handle, TermKind.ACCOUNT)
        for piece in _PARTY_SPLIT.split(candidate.party_or_coalition):
            yield from self._alias(index, piece, TermKind.PARTY)
        for term, kind in candidate.added:
            yield from self._alias(index, term, TermKind(kind))

    def _alias(self, index: int, text: str, kind: TermKind) -> Iterable[Term]:
        text = text.strip()
        if not text:
            return
        if kind == TermKind.HASHTAG:
            body = text.lstrip("#")
            self._hashtags.setdefault(_tag_key(body), []).append(index)
            tokens = self.normaliser.words("#" + body)
            if len(tokens) > 1:
                yield self._term(index, tokens, TermKind.HASHTAG)
            return
        if kind == TermKind.ACCOUNT:
            self._handles.setdefault(text.lstrip("@").casefold(), []).append(index)
            return
        tokens = self._words(text)
        if not tokens:
            return
        if kind == TermKind.ALIAS and re.fullmatch(r"[A-Z]{2,6}", text):
            kind = TermKind.ACRONYM  # BSW, AMIN
        yield self._term(index, tokens, kind)
        if kind == TermKind.PARTY and tokens[0] == "partai" and len(tokens) > 1:
            yield self._term(index, tokens[1:], kind)

    # --- matching -------------------------------------------------------------------------

    def scan(self, text: str) -> Scan:
        """Normalise ``text`` (with this lexicon's normaliser) and match it."""
        return self.match(self.normaliser.normalise(text))

    def match(self, normalised: Normalised) -> Scan:
        """The candidates ``normalised`` mentions; hits in text order."""
        raw: list[_Raw] = []
        contexts: list[tuple[int, int, str]] = []
        text = normalised.text
        # Where no token holds a space (all but odd texts), a token's index is the number of
        # spaces before it, and a key's last token is as many tokens on as it has spaces.
        starts = (
            None if text.count(" ") == len(normalised.tokens) - 1 else normalised.token_starts()
        )
        found: tuple[_Found, ...]
        for end, (length, spaces, found, context) in self._automaton.iter(f" {text} "):
            start = end - length + 1  # in text: the key's leading space is text[start - 1]
            if starts is None:
                first = text.count(" ", 0, start)
                last = first + spaces
            else:
                first = bisect_right(starts, start) - 1
                last = bisect_right(starts, end - 2) - 1
            if context:
                contexts.append((first, last, context))
            for candidate, weak, not_exact, term, kind, needs in found:
                raw.append(
                    (candidate, first, -last, weak, not_exact, len(raw), term, kind, needs, None)
                )
        for mention in normalised.ballots:
            index = self._by_number.get(mention.number)
            if index is not None:
                term = f"{mention.form} {mention.number}"
                raw.append(
                    (
                        index,
                        mention.first,
                        -mention.last,
                        not mention.explicit,
                        True,
                        len(raw),
                        term,
                        TermKind.NUMBER,
                        False,
                        None,
                    )
                )
        if self._hashtags:
            for tag in normalised.hashtags:
                self._exact(self._hashtags.get(_tag_key(tag.value), ()), tag, TermKind.HASHTAG, raw)
        if self._handles:
            for tag in normalised.mentions:
                self._exact(self._handles.get(tag.value, ()), tag, TermKind.ACCOUNT, raw)
            for tag in normalised.urls:
                for segment in re.findall(r"[/@]([\w.]+)", tag.value.casefold()):
                    if segment in self._handles:
                        self._exact(self._handles[segment], tag, TermKind.ACCOUNT, raw, segment)
                        break
        if not raw:
            return Scan(normalised, (), ())
        return self._decide(normalised, _outermost(raw), contexts)

    @staticmethod
    def _exact(
        indices: Sequence[int], tag: Tagged, kind: TermKind, raw: list[_Raw], value: str = ""
    ) -> None:
        """Hits of a hashtag or handle given exactly; weak only when two candidates share it."""
        sign = "#" if kind == TermKind.HASHTAG else "@"
        shared = len(set(indices)) > 1
        term = sign + (value or tag.value)
        not_exact = kind not in _EXACT or term[0] not in "#@"
        for index in dict.fromkeys(indices):
            raw.append(
                (
                    index,
                    tag.first,
                    -tag.last,
                    shared,
                    not_exact,
                    len(raw),
                    term,
                    kind,
                    shared,
                    (tag.start, tag.end),
                )
            )

    def _decide(
        self, normalised: Normalised, raw: list[_Raw], contexts: list[tuple[int, int, str]]
    ) -> Scan:
        strong: dict[int, str] = {}  # candidate → the term of its first strong hit
        for hit in raw:
            if not hit[3]:
                strong.setdefault(hit[0], hit[6])
        counted: list[Hit] = []
        unsupported: list[Hit] = []
        window = self.window
        original = normalised.original
        for index, first, neg_last, weak, _, _, term, kind, needs, span in raw:
            last = -neg_last
            support: Support | None = None
            context = ""
            if weak:
                backing = strong.get(index)
                if backing is not None:
                    support, context = Support.CANDIDATE, backing
                elif not needs:
                    for near_first, near_last, phrase in contexts:
                        outside = near_last < first or near_first > last
                        if outside and near_first <= last + window and near_last >= first - window:
                            support, context = Support.CAMPAIGN, phrase
                            break
            start, end = span or normalised.span(first, last)
            candidate = self.candidates[index]
            made = Hit(
                candidate.id,
                candidate.number,
                term,
                kind,
                start,
                end,
                original[start:end],
                first,
                last,
                weak,
                support,
                context,
            )
            (unsupported if weak and support is None else counted).append(made)
        return Scan(
            normalised,
            tuple(sorted(counted, key=_ORDER)) if len(counted) > 1 else tuple(counted),
            tuple(sorted(unsupported, key=_ORDER)) if len(unsupported) > 1 else tuple(unsupported),
        )


def _tag_key(body: str) -> str:
    return body.lstrip("#").casefold().replace("_", "")


def _outermost(raw: list[_Raw]) -> list[_Raw]:
    """The hits not inside a longer (or equal, earlier) hit of the same candidate at least as
    strong: "bagus" inside "bagus santoso wiryawan", the words inside #BagusRatna."""
    if len(raw) == 1:
        return raw
    # By candidate, then position (a longer hit first); a strong one before a weak one, and
    # for the same words, a hashtag or handle given exactly is what is reported.
    raw.sort()
    kept: list[_Raw] = []
    for hit in raw:
        candidate, first, neg_last, weak = hit[0], hit[1], hit[2], hit[3]
        for other in kept:
            if (
                other[0] == candidate
                and other[1] <= first
                and other[2] <= neg_last
                and (weak or not other[3])
            ):
                break
        else:
            kept.append(hit)
    return kept


def lexicon_version(candidates: Sequence[CandidateSource]) -> str:
    """A hash of everything the lexicon is compiled from (SHA-256, hex)."""
    content = json.dumps([_FORMAT, *(astuple(c) for c in candidates)], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def lexicon_sources(election: Election) -> tuple[CandidateSource, ...]:
    """What ``election``'s lexicon is compiled from: its candidates with their accounts and
    the aliases staff added (three queries)."""
    added: dict[int, list[tuple[str, str]]] = {}
    for alias in lexicon_aliases(election):
        added.setdefault(alias.candidate_id, []).append((alias.term, alias.kind))
    return tuple(
        CandidateSource(
            id=candidate.pk,
            number=candidate.number,
            name=candidate.name,
            running_mate=candidate.running_mate,
            party_or_coalition=candidate.party_or_coalition,
            aliases=tuple(candidate.aliases),
            hashtags=tuple(candidate.hashtags),
            slogans=tuple(candidate.slogans),
            handles=tuple(account.handle for account in candidate.accounts.all()),
            added=tuple(added.get(candidate.pk, ())),
        )
        for candidate in candidates_with_accounts(election)
    )


_LEXICONS: dict[int, Lexicon] = {}
_LOCK = threading.Lock()


def lexicon_for(election: Election) -> Lexicon:
    """``election``'s compiled lexicon, compiled again when what it is made of changed.

    Three queries per call (the content is hashed and compared with the cached lexicon's
    ``version``): call it once per batch of texts, not per text.
    """
    sources = lexicon_sources(election)
    version = lexicon_version(sources)
    cached = _LEXICONS.get(election.pk)
    if cached is not None and cached.version == version:
        return cached
    with _LOCK:
        cached = _LEXICONS.get(election.pk)
        if cached is None or cached.version != version:
            cached = Lexicon(sources)
            _LEXICONS[election.pk] = cached
    return cached


def lexicon_rows(
    election: Election,
) -> list[tuple[Candidate, list[Term], list[LexiconAlias]]]:
    """Each candidate of ``election`` with its compiled terms and the aliases staff added
    (the lexicon page)."""
    compiled = lexicon_for(election)
    terms: dict[int, list[Term]] = {}
    for term in compiled.terms:
        terms.setdefault(compiled.candidates[term.candidate].id, []).append(term)
    added: dict[int, list[LexiconAlias]] = {}
    for alias in lexicon_aliases(election).select_related("added_by"):
        added.setdefault(alias.candidate_id, []).append(alias)
    return [
        (candidate, terms.get(candidate.pk, []), added.get(candidate.pk, []))
        for candidate in candidates_of(election)
    ]
