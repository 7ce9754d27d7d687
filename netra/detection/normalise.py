"""Indonesian social-media text, normalised for the lexicon and the classifier.

``normalise(text)`` lower-cases, undoes slang and abbreviations (``yg`` → yang, ``gak`` →
tidak; the dictionary is ``data/slang.tsv``), letters repeated for emphasis (``mantaaap``
→ mantap, while ``saat``, ``maaf`` and ``sehingga`` keep their doubles), leetspeak inside
words (``c0bl0s`` → coblos, ``4nies`` → anies; a number standing alone stays a number),
reduplication written with a 2 (``hati2`` → hati hati), and splits hashtags into words
(``#AyoCoblos02`` → ayo coblos 02, ``#ayocoblos`` through the word list ``data/words.txt``).
URLs and @mentions become the placeholders ``<url>`` and ``<mention>``; other emoji stay
tokens of their own, without skin tone or variation selector.

It also finds ballot numbers in every form they are written: ``paslon 2``, ``nomor urut
02``, ``capres III``, ``coblos no 2``, ``salam dua jari`` (explicit: they can only be a
ballot number), and ``nomor 2``, ``no. 02``, ``02``, ``dua jari``, ✌️, ☝️, 2️⃣ (weak: also
everyday things, an ``antrean nomor 2``; the lexicon asks for campaign context).

The result keeps where each token came from, so later steps can show what they matched in
the original text. Stemming (PySastrawi) is not applied: the lexicon matches names, which
a stemmer mangles, and it costs more than the rest of the chain together.

Fast by construction: the text is split on white space, and each chunk (``mantaaap!!``,
``#AyoCoblos02``) is analysed once per normaliser and then served from a bounded cache
(the common path is C-level maps and joins, no Python loop per chunk); ballot numbers are
looked for only around number tokens (a finite set: one set operation for a text without
any), and spans are computed only for a text that needs them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from itertools import accumulate, chain, compress, count, product
from operator import attrgetter
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"

URL = "<url>"
MENTION = "<mention>"

# Chunks analysed per normaliser before its cache starts over (a few tens of MB at most).
_CACHE_LIMIT = 200_000
# A hashtag longer than this is split at case changes and digits only (segmenting is
# quadratic in the length).
_SEGMENT_LIMIT = 40


class BallotForm(StrEnum):
    """How a ballot number was written."""

    PASLON = "paslon"  # paslon 2, nomor urut 02, capres III, calon nomor 2, coblos 2
    SALAM = "salam"  # salam dua jari, salam 02
    NOMOR = "nomor"  # nomor 2, no. 02
    JARI = "jari"  # dua jari
    PADDED = "padded"  # 02
    EMOJI = "emoji"  # ✌️ ☝️ 2️⃣


EXPLICIT_FORMS = frozenset({BallotForm.PASLON, BallotForm.SALAM})


@dataclass(frozen=True, slots=True)
class BallotMention:
    """A ballot number in the text: its number, how it was written, and where.

    ``start``/``end`` are the character span in the original text, ``surface`` that slice;
    ``first``/``last`` the indices of its first and last token in ``Normalised.tokens``.
    """

    number: int
    form: BallotForm
    surface: str
    start: int
    end: int
    first: int
    last: int

    @property
    def explicit(self) -> bool:
        """Written so that it can only be a ballot number (``paslon 2``, ``salam dua jari``)."""
        return self.form in EXPLICIT_FORMS


@dataclass(frozen=True, slots=True)
class Tagged:
    """A hashtag (its body, lower case, no ``#``), an @mention (the handle, casefolded, no
    ``@``) or a URL, with its span in the original text and its token indices."""

    value: str
    start: int
    end: int
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class _Piece:
    """What one white-space chunk of text normalises to (cached per chunk)."""

    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # per token, relative to the chunk
    hashtags: tuple[tuple[str, int, int, int, int], ...] = ()  # value, start, end, first, last
    mentions: tuple[tuple[str, int, int, int, int], ...] = ()
    urls: tuple[tuple[str, int, int, int, int], ...] = ()
    special: bool = False  # holds a hashtag, a mention or a URL
    step: int = 0  # its tokens << _SHIFT | its chunk's length + 1 (see _layout)


_TOKENS = attrgetter("tokens")
_SPECIAL = attrgetter("special")
_STEP = attrgetter("step")
_CHUNK = re.compile(r"\S+")
_ONE_MORE = (1).__add__
# Where each chunk starts, as one int per chunk: the index of its first token << _SHIFT |
# its offset in the original text. Counted in one C-level pass over the pieces' steps; the
# list is increasing, so the chunk holding token i is found with one bisect.
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1
_Layout = list[int]


def _layout(original: str, pieces: Sequence[_Piece]) -> _Layout:
    """Per chunk, its first token's index << _SHIFT | where it starts in ``original``.

    Counted from the chunks' lengths when they are one white-space character apart (most
    texts), else found with one regex pass; both give what ``_CHUNK.finditer`` gives."""
    if not pieces or len(original) >= _LOW:
        return _layout_found(original, pieces)
    stripped = original.lstrip()
    lead = len(original) - len(stripped)
    layout = list(accumulate(map(_STEP, pieces), initial=lead))
    # One past where the last chunk would end: where the stripped text ends, plus one, when
    # the chunks are one character apart. str.split(), str.strip() and \S+ agree on what
    # white space is (str.isspace).
    if (layout.pop() & _LOW) - 1 == lead + len(stripped.rstrip()):
        return layout
    return _layout_found(original, pieces)


def _layout_found(original: str, pieces: Sequence[_Piece]) -> _Layout:
    if not pieces:
        return []
    bounds = accumulate(map(len, map(_TOKENS, pieces[:-1])), initial=0)
    offsets = (match.start() for match in _CHUNK.finditer(original))
    return [bound << _SHIFT | offset for bound, offset in zip(bounds, offsets, strict=True)]


def _token_span(pieces: Sequence[_Piece], layout: _Layout, index: int) -> tuple[int, int]:
    chunk = bisect_right(layout, index << _SHIFT | _LOW) - 1
    at = layout[chunk]
    start, end = pieces[chunk].spans[index - (at >> _SHIFT)]
    offset = at & _LOW
    return offset + start, offset + end


def slot_setters(cls: type, names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The ``__set__`` of each of ``cls``'s slots ``names`` (space-separated), in order.

    For the ``__init__`` of a frozen dataclass made once per text or hit: the generated one
    sets each field through ``object.__setattr__``, which takes twice as long as calling the
    slot's own descriptor. Instances stay frozen (``__setattr__`` still raises)."""
    return tuple(getattr(cls, name).__set__ for name in names.split())


@dataclass(frozen=True, slots=True, init=False)
class Normalised:
    """A text normalised: ``text`` is ``tokens`` joined by single spaces.

    ``ballots``, ``hashtags``, ``mentions`` and ``urls`` say what was found and where;
    ``token_span(i)`` gives the character span in ``original`` that token ``i`` came from
    (tokens that one chunk expanded to, ``gpp`` → tidak apa apa, share its span).
    """

    original: str
    text: str
    tokens: tuple[str, ...]
    ballots: tuple[BallotMention, ...]
    hashtags: tuple[Tagged, ...]
    mentions: tuple[Tagged, ...]
    urls: tuple[Tagged, ...]
    _pieces: tuple[_Piece, ...] = field(repr=False, compare=False)
    # Computed on first use (most texts never need them), set once with object.__setattr__.
    _layout: _Layout | None = field(default=None, repr=False, compare=False)
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    def __init__(
        self,
        original: str,
        text: str,
        tokens: tuple[str, ...],
        ballots: tuple[BallotMention, ...],
        hashtags: tuple[Tagged, ...],
        mentions: tuple[Tagged, ...],
        urls: tuple[Tagged, ...],
        _pieces: tuple[_Piece, ...],
        _layout: _Layout | None = None,
        _starts: list[int] | None = None,
    ) -> None:
        at = _NORMALISED_SLOTS  # in the order of the fields
        at[0](self, original)
        at[1](self, text)
        at[2](self, tokens)
        at[3](self, ballots)
        at[4](self, hashtags)
        at[5](self, mentions)
        at[6](self, urls)
        at[7](self, _pieces)
        at[8](self, _layout)
        at[9](self, _starts)

    def token_span(self, index: int) -> tuple[int, int]:
        """The span in ``original`` of token ``index``; IndexError outside ``tokens``."""
        if not 0 <= index < len(self.tokens):
            raise IndexError(index)
        return _token_span(self._pieces, self._layout or self._make_layout(), index)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """The span in ``original`` from token ``first`` to token ``last`` (inclusive)."""
        size = len(self.tokens)
        if not (0 <= first < size and 0 <= last < size):
            raise IndexError(first if not 0 <= first < size else last)
        layout = self._layout or self._make_layout()
        return (
            _token_span(self._pieces, layout, first)[0],
            _token_span(self._pieces, layout, last)[1],
        )

    def token_starts(self) -> list[int]:
        """Where each token starts in ``text`` (do not modify the list)."""
        starts = self._starts
        if starts is None:
            tokens = self.tokens
            starts = (
                list(accumulate(map(_ONE_MORE, map(len, tokens[:-1])), initial=0)) if tokens else []
            )
            object.__setattr__(self, "_starts", starts)
        return starts

    def char_token(self, position: int) -> int:
        """The index of the token holding character ``position`` of ``text``."""
        return bisect_right(self.token_starts(), position) - 1

    def _make_layout(self) -> _Layout:
        layout = _layout(self.original, self._pieces)
        object.__setattr__(self, "_layout", layout)
        return layout


_NORMALISED_SLOTS = slot_setters(
    Normalised, "original text tokens ballots hashtags mentions urls _pieces _layout _starts"
)


# --- data --------------------------------------------------------------------------------


def data_lines(name: str) -> Iterable[str]:
    """The lines of a file in ``data/`` that are not blank or comments, stripped."""
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@cache
def slang() -> dict[str, tuple[str, ...]]:
    """``data/slang.tsv``: a form seen in posts → the standard words it stands for.

    Raises ValueError on a malformed line or on one form given two meanings.
    """
    table: dict[str, tuple[str, ...]] = {}
    for line in data_lines("slang.tsv"):
        form, _, meaning = line.partition("\t")
        words = tuple(meaning.split())
        if not form or not words or form != form.lower():
            raise ValueError(f"slang.tsv: malformed line {line!r}")
        if table.get(form, words) != words:
            raise ValueError(f"slang.tsv: {form!r} has two meanings")
        table[form] = words
    return table


@cache
def words() -> frozenset[str]:
    """``data/words.txt``: common words (segmentation, repeated letters, everyday words)."""
    return frozenset(word for line in data_lines("words.txt") for word in line.split())


def data_words(name: str) -> frozenset[str]:
    """The whitespace-separated words of a data file (``names.txt``, ``titles.txt``)."""
    return frozenset(word for line in data_lines(name) for word in line.split())


# --- patterns ----------------------------------------------------------------------------

_EMOJI_CHAR = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u231a-\u23ff\u24c2\u25aa-\u27bf"
    "\u2900-\u297f\u2b00-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_EMOJI_MODS = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff"
_PIECE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<mention>@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"
    r"|(?P<hashtag>\#[^\W_]\w*)"
    r"|(?P<keycap>[0-9]\ufe0f?\u20e3)"
    r"|(?P<number>\d+(?:[.,]\d+)+)"
    r"|(?P<word>[^\W_]+(?:['’`][^\W_]+)*)"
    rf"|(?P<emoji>[\U0001f1e6-\U0001f1ff]{{2}}"
    rf"|[{_EMOJI_CHAR}][{_EMOJI_MODS}]*(?:\u200d[{_EMOJI_CHAR}][{_EMOJI_MODS}]*)*)"
)
_EMOJI_STRIP = dict.fromkeys([0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)])
_APOSTROPHES = dict.fromkeys(map(ord, "'’`"))
_URL_TAIL = ".,;:!?)]}'\"»”’"
_REPEAT = re.compile(r"([a-z])\1+")
# Laughter in its many spellings (wkwkwk, awokawok, hahaha, xixixi) is one token, "haha".
_LAUGH = re.compile(
    r"a?(?:wk){2,}[wka]*|(?:kw){2,}[kw]*|(?:awok){2,}|(?:ha){2,}h?|(?:he){2,}h?|(?:hi){2,}h?"
    r"|(?:xi){2,}|(?:ka){3,}k?|w?(?:ak){3,}"
)
_LETTERS_DIGITS = re.compile(r"([a-z]+)(\d+)")
_DIGITS_LETTERS = re.compile(r"(\d+)([a-z]+)")
_RUNS = re.compile(r"[a-z]+|\d+")
_RUNS_ANY = re.compile(r"\d+|[^\W\d_]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+")
# Affixes a hashtag's words carry (#ayoberkarya, #dukungannyata); the root must be known.
_PREFIXES = (
    "memper",
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "ber",
    "be",
    "di",
    "ter",
    "ke",
    "se",
    "peng",
    "peny",
    "pem",
    "pen",
    "per",
    "pe",
)
_SUFFIXES = ("kan", "an", "i", "nya", "lah", "kah", "ku", "mu")
_LEET = str.maketrans("013456789", "oieasgtbg")
_LEETABLE = frozenset("0134578")
# Words after which a digit is a number, not a letter: ``no2`` is no 2, ``paslon02``
# paslon 02.
_NUMBER_PREFIXES = frozenset(
    "no nomor nmr nomer paslon capres cawapres cagub cabup cawalkot caleg urut salam coblos "  # noqa: SIM905 - a word list reads best as text
    "pilih dukung jam tanggal tgl kelas rt rw".split()
)

_NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10,
    # Javanese and Sundanese
    "siji": 1, "loro": 2, "telu": 3, "papat": 4, "limo": 5, "enem": 6, "pitu": 7, "wolu": 8,
    "songo": 9, "hiji": 1, "tilu": 3, "opat": 4, "genep": 6, "dalapan": 8, "salapan": 9,
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_GESTURES = {"✌": 2, "☝": 1}
_FINGER_WORDS = {word: n for word, n in _NUMBER_WORDS.items() if n <= 5}


# Ballot numbers are found on the tokens: every form holds a number token (or a gesture),
# a finite set, so a text without one is passed over with one set operation, and a text with
# one is looked at only around it.
_DIGIT_NUMBERS = {str(n): n for n in range(1, 100)} | {f"0{n}": n for n in range(1, 10)}
_PADDED = {f"0{n}": n for n in range(1, 10)}
_KEYCAPS = {f"{n}\u20e3": n for n in range(1, 10)}
_NUM = _DIGIT_NUMBERS | _NUMBER_WORDS | _KEYCAPS
_NUM_OR_ROMAN = _NUM | _ROMAN
_SALAM_JARI = _DIGIT_NUMBERS | _FINGER_WORDS
_SALAM_BARE = _PADDED | _GESTURES
# A whole hand ("lima jari") is rarely a number shown; after "salam" it is.
_JARI = {w: n for w, n in (_DIGIT_NUMBERS | _FINGER_WORDS).items() if n < 5}
_EMOJI_NUMBERS = _GESTURES | _KEYCAPS
_TRIGGERS = frozenset(_NUM_OR_ROMAN) | frozenset(_GESTURES)
_PAIR_HEADS = frozenset(
    {"paslon", "capres", "cawapres", "cagub", "cawagub", "cabup", "cawabup", "cawalkot"}
    | {"cawawalkot"}
)
_CALON_HEADS = frozenset(["calon", "kandidat", "pasangan", "caleg", "partai"])
_COBLOS_HEADS = frozenset(["coblos", "mencoblos", "dicoblos", "pencoblosan"])


def _connector(tokens: Sequence[str], at: int) -> tuple[int, str]:
    """The "nomor urut" / "nomor" / "no" / "urut" just before token ``at``: where it
    starts, and which (``""`` and ``at`` when there is none)."""
    if at >= 2 and tokens[at - 1] == "urut" and tokens[at - 2] in ("nomor", "no"):
        return at - 2, "nomor urut"
    if at >= 1 and tokens[at - 1] in ("nomor", "no", "urut"):
        return at - 1, tokens[at - 1]
    return at, ""


def _ballot_at(tokens: Sequence[str], i: int) -> tuple[BallotForm, int, int, int] | None:
    """The ballot number whose number is token ``i``: (form, number, first, last), the
    earliest-starting form that applies."""
    token = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    prev = tokens[i - 1] if i else ""
    start, connector = _connector(tokens, i)
    head = tokens[start - 1] if start else ""
    if token in _NUM_OR_ROMAN:
        number = _NUM_OR_ROMAN[token]
        if head in _PAIR_HEADS:
            return BallotForm.PASLON, number, start - 1, i
        if start >= 2 and tokens[start - 2] == "pasangan" and head == "calon":
            return BallotForm.PASLON, number, start - 2, i
        if connector and connector != "urut" and head in _CALON_HEADS:
            return BallotForm.PASLON, number, start - 1, i
        if connector == "nomor urut":
            return BallotForm.PASLON, number, start, i
    if token in _NUM:
        number = _NUM[token]
        if head in _COBLOS_HEADS and connector != "urut":
            return BallotForm.PASLON, number, start - 1, i
        if not connector and prev in _COBLOS_HEADS:
            return BallotForm.PASLON, number, i - 1, i
    if prev == "salam" and nxt == "jari" and token in _SALAM_JARI:
        return BallotForm.SALAM, _SALAM_JARI[token], i - 1, i + 1
    if prev == "salam" and token in _SALAM_BARE:
        return BallotForm.SALAM, _SALAM_BARE[token], i - 1, i
    if token in _NUM and connector in ("nomor", "no"):
        return BallotForm.NOMOR, _NUM[token], start, i
    if nxt == "jari" and token in _JARI:
        return BallotForm.JARI, _JARI[token], i, i + 1
    if token in _PADDED:
        return BallotForm.PADDED, _PADDED[token], i, i
    if token in _EMOJI_NUMBERS:
        return BallotForm.EMOJI, _EMOJI_NUMBERS[token], i, i
    return None


def _ballots(
    original: str, tokens: tuple[str, ...], pieces: Sequence[_Piece], layout: _Layout
) -> tuple[BallotMention, ...]:
    """The ballot numbers in ``tokens``, in order, none overlapping another."""
    found = []
    taken = -1  # the last token a mention covers: mentions do not overlap
    for i in compress(count(), map(_TRIGGERS.__contains__, tokens)):
        if i <= taken:
            continue
        ballot = _ballot_at(tokens, i)
        if ballot is None:
            continue
        form, number, first, last = ballot
        first = max(first, taken + 1)
        taken = last
        start = _token_span(pieces, layout, first)[0]
        end = _token_span(pieces, layout, last)[1]
        found.append(BallotMention(number, form, original[start:end], start, end, first, last))
    return tuple(found)


def _tagged(
    pieces: Sequence[_Piece], layout: _Layout
) -> tuple[tuple[Tagged, ...], tuple[Tagged, ...], tuple[Tagged, ...]]:
    """The hashtags, mentions and URLs of the pieces, with spans in the whole text."""
    hashtags: list[Tagged] = []
    mentions: list[Tagged] = []
    urls: list[Tagged] = []
    for chunk in compress(count(), map(_SPECIAL, pieces)):
        piece, at = pieces[chunk], layout[chunk]
        offset, bound = at & _LOW, at >> _SHIFT
        for into, items in (
            (hashtags, piece.hashtags),
            (mentions, piece.mentions),
            (urls, piece.urls),
        ):
            for value, start, end, first, last in items:
                into.append(
                    Tagged(value, offset + start, offset + end, bound + first, bound + last)
                )
    return tuple(hashtags), tuple(mentions), tuple(urls)


# --- the normaliser ----------------------------------------------------------------------


class Normaliser:
    """Normalises texts; one per vocabulary (the lexicon adds its candidates' names).

    ``extra_words`` join the word list for hashtag segmentation and repeated letters, so
    ``#dukunghendra`` splits at a candidate's name and ``Hendraaa`` keeps its letters.
    Safe to share between threads (the cache is a dict written whole per entry).
    """

    def __init__(self, *, extra_words: Iterable[str] = ()) -> None:
        self._slang = slang()
        expansions = {word for meaning in self._slang.values() for word in meaning}
        self._vocabulary = frozenset(
            words() | expansions | _ROMAN.keys() | {word.lower() for word in extra_words if word}
        )
        self._known = self._vocabulary | self._slang.keys()
        self._segment_words = frozenset(w for w in self._vocabulary if len(w) > 1)
        self._longest = max(map(len, self._segment_words), default=1)
        self._cache: dict[str, _Piece] = {}
        self._words: dict[str, tuple[str, ...]] = {}

    # One pass: the chunks' tokens from the cache (C-level maps, no Python loop per chunk
    # unless a chunk is new), then ballot numbers and tagged chunks only when a cheap hint
    # is there, and spans only for a text that has either.
    def normalise(self, text: str) -> Normalised:
        """``text`` normalised; never raises on any string."""
        chunks = text.split()
        cache = self._cache
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()  # between texts, so that one text's pieces all come from one cache
        try:
            pieces = tuple(map(cache.__getitem__, chunks))
        except KeyError:
            pieces = tuple(cache.get(chunk) or self._piece(chunk) for chunk in chunks)
        tokens = tuple(chain.from_iterable(map(_TOKENS, pieces)))
        joined = " ".join(tokens)
        # A hashtag, mention or URL needs a "#", an "@", "http" or "www." (the patterns are
        # case-sensitive), so most texts are passed over without looking at their pieces.
        special = ("#" in text or "@" in text or "http" in text or "www." in text) and any(
            map(_SPECIAL, pieces)
        )
        numbers = not _TRIGGERS.isdisjoint(tokens)
        if not numbers and not special:
            return Normalised(text, joined, tokens, (), (), (), (), pieces)
        layout = _layout(text, pieces)
        ballots = _ballots(text, tokens, pieces, layout) if numbers else ()
        hashtags, mentions, urls = _tagged(pieces, layout) if special else ((), (), ())
        return Normalised(text, joined, tokens, ballots, hashtags, mentions, urls, pieces, layout)

    def words(self, text: str) -> tuple[str, ...]:
        """Only the tokens of ``normalise(text)`` (how the lexicon writes its terms)."""
        return self.normalise(text).tokens

    # --- one chunk ------------------------------------------------------------------------

    def _piece(self, chunk: str) -> _Piece:
        tokens: list[str] = []
        spans: list[tuple[int, int]] = []
        tagged: dict[str, list[tuple[str, int, int, int, int]]] = {
            "hashtag": [],
            "mention": [],
            "url": [],
        }
        for match in _PIECE.finditer(chunk):
            kind = match.lastgroup
            raw = match.group()
            start, end = match.span()
            if kind == "word":
                out = self._word(raw)
                tokens += out
                spans += [(start, end)] * len(out)
            elif kind == "number":
                tokens.append(raw)
                spans.append((start, end))
            elif kind == "emoji":
                tokens.append(raw.translate(_EMOJI_STRIP) or raw)
                spans.append((start, end))
            elif kind == "keycap":
                tokens.append(raw[0] + "\u20e3")
                spans.append((start, end))
            elif kind == "hashtag":
                first = len(tokens)
                for token, (s, e) in self._hashtag(raw[1:]):
                    tokens.append(token)
                    spans.append((start + 1 + s, start + 1 + e))
                if len(tokens) > first:
                    tagged["hashtag"].append((raw[1:].lower(), start, end, first, len(tokens) - 1))
            elif kind == "mention":
                tagged["mention"].append((raw[1:].casefold(), start, end, len(tokens), len(tokens)))
                tokens.append(MENTION)
                spans.append((start, end))
            elif kind == "url":
                stripped = raw.rstrip(_URL_TAIL)
                end = start + len(stripped)
                tagged["url"].append((stripped, start, end, len(tokens), len(tokens)))
                tokens.append(URL)
                spans.append((start, end))
        piece = _Piece(
            tokens=tuple(tokens),
            spans=tuple(spans),
            hashtags=tuple(tagged["hashtag"]),
            mentions=tuple(tagged["mention"]),
            urls=tuple(tagged["url"]),
            special=bool(tagged["hashtag"] or tagged["mention"] or tagged["url"]),
            step=len(tokens) << _SHIFT | len(chunk) + 1,
        )
        self._cache[chunk] = piece
        return piece

    def _hashtag(self, body: str) -> list[tuple[str, tuple[int, int]]]:
        """A hashtag's body as tokens with their spans in the body."""
        out: list[tuple[str, tuple[int, int]]] = []
        for part in re.finditer(r"[^\W_]+", body):
            text, base = part.group(), part.start()
            mixed_case = not (text.islower() or text.isupper())
            # Case changes and digits mark words (AyoCoblos02); what is left in one case is
            # split with the word list (ayocoblos, AYOCOBLOS).
            splitter = _CAMEL if mixed_case else _RUNS_ANY
            pieces = []
            for run in splitter.finditer(text):
                if mixed_case or run.group().isdigit() or len(run.group()) > _SEGMENT_LIMIT:
                    pieces.append((run.group(), run.start()))
                else:
                    pieces += [(w, run.start() + s) for w, s in self._segment(run.group())]
            for word, at in pieces:
                span = (base + at, base + at + len(word))
                out += [(token, span) for token in self._word(word)]
        return out

    def _segment(self, text: str) -> list[tuple[str, int]]:
        """``text`` split into known words: the fewest words, and a stretch of unknown
        letters (a name: dukung|hendra) costs as much as three words plus its length, so it
        is kept whole rather than cut into short words."""
        lowered = self._fold(text)
        if len(lowered) != len(text) or lowered in self._known:
            return [(text, 0)]
        size = len(lowered)
        inf = float("inf")
        cost = [0.0] + [inf] * size
        back = [0] * (size + 1)
        vocabulary = self._segment_words
        for end in range(1, size + 1):
            for start in range(max(0, end - self._longest), end):
                if cost[start] == inf:
                    continue
                piece = lowered[start:end]
                known = piece in vocabulary or self._affixed(piece)
                step = 1.0 if known else 3.0 + 0.5 * len(piece)
                if cost[start] + step < cost[end]:
                    cost[end] = cost[start] + step
                    back[end] = start
        cuts = []
        end = size
        while end > 0:
            cuts.append((back[end], end))
            end = back[end]
        return [(text[start:end], start) for start, end in reversed(cuts)]

    def _affixed(self, piece: str) -> bool:
        """A known word with one common prefix and/or suffix (ber+karya, dukung+an)."""
        for prefix in _PREFIXES:
            if piece.startswith(prefix):
                root = piece[len(prefix) :]
                if len(root) > 2 and (root in self._vocabulary or self._suffixed(root)):
                    return True
        return self._suffixed(piece)

    def _suffixed(self, piece: str) -> bool:
        for suffix in _SUFFIXES:
            if piece.endswith(suffix):
                root = piece[: -len(suffix)]
                if len(root) > 2 and root in self._vocabulary:
                    return True
        return False

    # --- one word -------------------------------------------------------------------------

    @staticmethod
    def _fold(raw: str) -> str:
        lowered = raw.lower()
        if lowered.isascii():
            return lowered.translate(_APOSTROPHES)
        decomposed = unicodedata.normalize("NFKD", lowered)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        return folded.translate(_APOSTROPHES)

    def _word(self, raw: str) -> tuple[str, ...]:
        """One word (letters and digits) as normalised tokens; cached."""
        out = self._words.get(raw)
        if out is None:
            out = self._word_uncached(raw)
            if len(self._words) >= _CACHE_LIMIT:
                self._words.clear()
            self._words[raw] = out
        return out

    def _word_uncached(self, raw: str) -> tuple[str, ...]:
        word = self._fold(raw)
        if not word:
            return ()
        meaning = self._slang.get(word)
        if meaning is not None:
            return meaning
        if word.isdigit():
            return (word,)
        if word.isalpha():
            return self._letters(word)
        if not word.isalnum() or not word.isascii():
            return (word,)
        return self._mixed(word)

    def _letters(self, word: str) -> tuple[str, ...]:
        if _LAUGH.fullmatch(word):
            return ("haha",)
        if word in self._vocabulary or not _REPEAT.search(word):
            return (word,)
        reduced = self._unrepeat(word)
        return self._slang.get(reduced, (reduced,))

    def _unrepeat(self, word: str) -> str:
        """``word`` with letters repeated for emphasis reduced (``mantaaap`` → mantap).

        A run of three or more becomes one letter, or two where that makes a known word
        (``maaaaf`` → maaf); a double stays unless dropping it makes a known word
        (``kakk`` → kak). Runs are tried in that order of preference."""
        runs = list(_REPEAT.finditer(word))
        if len(runs) > 6:
            return _REPEAT.sub(r"\1", word)
        options = [(1, 2) if len(run.group()) > 2 else (2, 1) for run in runs]
        default = None
        for choice in product(*options):
            parts, at = [], 0
            for run, keep in zip(runs, choice, strict=True):
                parts.append(word[at : run.start()])
                parts.append(run.group(1) * keep)
                at = run.end()
            parts.append(word[at:])
            candidate = "".join(parts)
            if default is None:
                default = candidate
            if candidate in self._known:
                return candidate
        # Nothing known: reduce emphasis (3+) to one letter and keep the doubles.
        return default or word

    def _mixed(self, word: str) -> tuple[str, ...]:
        """Letters and digits together: a number glued to a word, reduplication, leetspeak."""
        known = self._known
        match = _LETTERS_DIGITS.fullmatch(word)
        if match:
            letters, digits = match.groups()
            if letters in _NUMBER_PREFIXES:
                return (*self._word(letters), digits)
            if digits == "2" and len(letters) > 2 and (letters in known or len(letters) > 3):
                return self._word(letters) * 2  # hati2 → hati hati
            if letters not in known and set(digits) <= _LEETABLE:
                leet = letters + digits.translate(_LEET)
                if leet in known:
                    return self._word(leet)  # bagu5 → bagus
            return (*self._word(letters), digits)
        match = _DIGITS_LETTERS.fullmatch(word)
        if match:
            digits, letters = match.groups()
            if letters in known or len(digits) > 1 or digits not in _LEETABLE:
                return (digits, *self._word(letters))  # 2periode → 2 periode
            return self._word(digits.translate(_LEET) + letters)  # 4nies → anies
        # Digits inside letters: a number at the end goes apart (c0bl0s02 → coblos 02);
        # then leetspeak when every digit reads as a letter (c0bl0s, g4nj4r), else the runs
        # of letters and digits apart.
        tail = re.search(r"\d+$", word)
        if tail:
            return (*self._word(word[: tail.start()]), tail.group())
        if {c for c in word if c.isdigit()} <= _LEETABLE:
            return self._word(word.translate(_LEET))
        out: list[str] = []
        for run in _RUNS.findall(word):
            out += (run,) if run.isdigit() else self._word(run)
        return tuple(out)


@cache
def default_normaliser() -> Normaliser:
    """The normaliser with the project's word lists only (built on first use)."""
    return Normaliser()


def normalise(text: str) -> Normalised:
    """``text`` normalised with the default normaliser (see the module's docstring)."""
    return default_normaliser().normalise(text)
