"""Linkage: proposals that a platform account belongs to a registered subject.

``Linker`` is the pure part: built once over the subjects (``SubjectRecord``), it answers
for one account (``AccountRecord``) the subjects it may belong to, each with a score in
[0, 1] and its reasons (``netra.registry.models.LinkReason``). Nothing here writes;
``netra.detection.services.linkage_run`` loads the rows, asks the Linker and proposes
through ``netra.registry.services.account_link_propose``, where a person decides.

Candidates are blocked, never every account against every subject: an inverted index maps
keys of a subject's name (a rare name word; a word with the initial of the next one,
``sutrisno|w``; a one-word name) and its NIP and NRP to subjects. An account is compared
only with the subjects its display name, handle pieces and bio numbers share a key with;
a key held by too many subjects (``siti``) is not used alone.

The score: the name evidence (display name and handle against the full name, titles,
degrees and honorifics stripped, rapidfuzz token ratios and an alignment that knows
initials and abbreviations such as ``wbw`` for Wibowo) is capped below the threshold, so a
name alone is never proposed. Cues from the profile (bio, display name and handle): the
subject's NIP or NRP, status words (ASN, PNS, PPPK; TNI; Polri), the position (guru, camat,
kades …), the agency or its abbreviation, and the subject's places named. With ``w`` the
weight of each reason for, ``1 - prod(1 - w)``; then each reason against (the profile
names only regions outside the subject's, or an NIP that is not the subject's) multiplies
the score by ``1 + w`` (its weight is negative).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from math import sqrt
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rapidfuzz import fuzz

from netra.core.iterables import chunked
from netra.detection.normalise import DATA, data_words, words
from netra.geo.models import Level, Region, ancestor_codes
from netra.registry.models import LinkReason, SubjectKind
from netra.registry.selectors import subjects_within
from netra.social.models import Account

__all__ = [
    "DEFAULT_THRESHOLD",
    "AccountRecord",
    "Linker",
    "Place",
    "Proposal",
    "SubjectRecord",
    "account_records",
    "fold",
    "gazetteer",
    "name_counts",
    "name_key",
    "name_tokens",
    "subject_records",
]

DEFAULT_THRESHOLD = 0.55
# The most a name alone can weigh: below DEFAULT_THRESHOLD, so that a homonym without a
# second cue is never proposed.
NAME_CAP = 0.45
DISPLAY_WEIGHT = 0.45
HANDLE_WEIGHT = 0.40
# Below this similarity a name is no evidence at all.
NAME_FLOOR = 0.6
WEIGHTS = {
    "nip": 0.95,
    "nrp": 0.9,
    "agency": 0.35,
    "agency_abbreviation": 0.25,
    "position": 0.3,
    "kind": 0.15,
}
REGION_WEIGHTS: dict[str, float] = {
    Level.VILLAGE: 0.3,
    Level.DISTRICT: 0.3,
    Level.REGENCY: 0.25,
    Level.PROVINCE: 0.1,
}
REGION_CONFLICT = -0.6  # the score keeps 40 %
NIP_CONFLICT = -0.7
# A single name word shared by more subjects than this is no block on its own: only a
# distinctive name ("Sulistyowati" may; "Santoso" may not) brings candidates by one word.
RARE_KEY = 8
# A pair or one-word-name key shared by more subjects than this is not used either.
PAIR_KEY = 400
# Handle pieces segmented from a run of letters are at least this long.
MIN_PIECE = 3

_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[a-z]+")
_CHUNKS = re.compile(r"[\s,;/|()\[\]]+")
_NIP = re.compile(r"(?<!\d)(\d{8})[ .\-]?(\d{6})[ .\-]?(\d)[ .\-]?(\d{3})(?!\d)")


# --- text --------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: ``Śiti`` → ``siti``."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _titles() -> frozenset[str]:
    return data_words("titles.txt")


@cache
def _honorifics() -> frozenset[str]:
    """The forms of address of ``names.txt`` (its section after the honorifics comment)."""
    found: set[str] = set()
    section = False
    for line in (DATA / "names.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            section = line.lower().startswith("# honorifics")
            continue
        if section:
            found.update(line.split())
    return frozenset(found)


@cache
def _common() -> frozenset[str]:
    """Everyday words and very common given names: a place named so needs a marker."""
    return words() | data_words("names.txt")


def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a person's name: folded, without titles and degrees (``Drs.``,
    ``S.Pd.``, ``M.Pd.``), leading honorifics (``Pak``, ``Bu``), digits and symbols."""
    titles = _titles()
    out: list[str] = []
    for chunk in _CHUNKS.split(text):
        folded = fold(chunk)
        bare = "".join(_LETTERS.findall(folded))
        if not bare or bare in titles:
            continue
        dotted = "." in folded
        for token in _LETTERS.findall(folded):
            if dotted and token in titles:
                continue
            out.append(token)
    honorifics = _honorifics()
    while len(out) > 1 and out[0] in honorifics:
        out.pop(0)
    return tuple(out)


# Short forms seen in profiles, read as what they stand for before phrases are matched.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "sdn": ("sd", "negeri"),
    "smpn": ("smp", "negeri"),
    "sman": ("sma", "negeri"),
    "smkn": ("smk", "negeri"),
    "min": ("mi", "negeri"),
    "mtsn": ("mts", "negeri"),
    "man": ("ma", "negeri"),
    "kab": ("kabupaten",),
    "kec": ("kecamatan",),
    "kel": ("kelurahan",),
    "ds": ("desa",),
    "prov": ("provinsi",),
    "pemkab": ("pemerintah", "kabupaten"),
    "pemkot": ("pemerintah", "kota"),
    "pemprov": ("pemerintah", "provinsi"),
    "pemdes": ("pemerintah", "desa"),
}
# Words that say what a region is: removed from a region's name, and the markers before a
# place named by an everyday word ("di Batu", "Kota Batu").
ADMIN_WORDS = frozenset(
    {"kabupaten", "kota", "provinsi", "kecamatan", "desa", "kelurahan", "administrasi"}
)
PLACE_MARKERS = ADMIN_WORDS | {"di", "dari", "asal", "wilayah"}


@dataclass(frozen=True, slots=True)
class _Text:
    """One field of a profile as folded words, each with where it stands in the original."""

    original: str
    field: str
    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    at: dict[str, list[int]]

    @classmethod
    def of(cls, original: str, field: str) -> _Text:
        tokens: list[str] = []
        spans: list[tuple[int, int]] = []
        for match in _WORD.finditer(original):
            for word in SHORT_FORMS.get(fold(match.group()), (fold(match.group()),)):
                tokens.append(word)
                spans.append(match.span())
        at: dict[str, list[int]] = defaultdict(list)
        for index, token in enumerate(tokens):
            at[token].append(index)
        return cls(original, field, tuple(tokens), tuple(spans), dict(at))

    def find(self, phrase: Sequence[str], *, named: bool = False) -> int:
        """Where ``phrase`` first stands (-1 if nowhere); with ``named``, only where it
        reads as a name (``named_at``)."""
        n = len(phrase)
        for start in self.at.get(phrase[0], ()):
            if tuple(self.tokens[start : start + n]) != tuple(phrase):
                continue
            if named and not self.named_at(start):
                continue
            return start
        return -1

    def marked_at(self, start: int) -> bool:
        """A place marker (``di``, ``Kab.``, ``Desa`` …) comes right before word ``start``."""
        return start > 0 and self.tokens[start - 1] in PLACE_MARKERS

    def named_at(self, start: int) -> bool:
        """Word ``start`` reads as a name, not as the everyday word it also is ("malang"):
        a place marker comes before it, or it is capitalised where a sentence does not
        begin."""
        if self.marked_at(start):
            return True
        begin = self.spans[start][0]
        before = self.original[:begin].rstrip()
        return self.original[begin].isupper() and bool(before) and before[-1] not in ".!?"

    def snippet(self, start: int, length: int, *, before: int = 0) -> str:
        first = max(0, start - before)
        last = min(len(self.spans), start + length) - 1
        return self.original[self.spans[first][0] : self.spans[last][1]]


# --- vocabularies of cues ----------------------------------------------------------------

# Status words, by the group of subject kinds they speak for.
KIND_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "asn": (
        ("asn",),
        ("pns",),
        ("pppk",),
        ("p3k",),
        ("aparatur", "sipil", "negara"),
        ("pegawai", "negeri", "sipil"),
        ("pegawai", "negeri"),
        ("abdi", "negara"),
        ("nip",),
    ),
    "tni": (("tni",), ("tentara",), ("prajurit",), ("koramil",), ("kodim",), ("korem",)),
    "polri": (("polri",), ("polisi",), ("polsek",), ("polres",), ("polda",), ("bhayangkara",)),
    "village": (("pemerintah", "desa"), ("perangkat", "desa"), ("aparat", "desa")),
}
KIND_LABELS = {"asn": "ASN", "tni": "TNI", "polri": "Polri", "village": "pemerintah desa"}
KIND_GROUP: dict[str, str] = {
    SubjectKind.PNS: "asn",
    SubjectKind.PPPK: "asn",
    SubjectKind.TNI: "tni",
    SubjectKind.POLRI: "polri",
    SubjectKind.VILLAGE_HEAD: "village",
    SubjectKind.VILLAGE_OFFICIAL: "village",
    SubjectKind.BPD: "village",
}

# Positions, each with the ways a profile writes it.
POSITIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "guru": (("guru",), ("pengajar",), ("pendidik",), ("wali", "kelas")),
    "kepala sekolah": (("kepala", "sekolah"), ("kepsek",)),
    "dosen": (("dosen",),),
    "camat": (("camat",),),
    "sekretaris camat": (("sekretaris", "camat"), ("sekcam",)),
    "lurah": (("lurah",),),
    "kepala desa": (("kepala", "desa"), ("kades",), ("kepdes",), ("petinggi",), ("kuwu",)),
    "sekretaris desa": (("sekretaris", "desa"), ("sekdes",), ("carik",)),
    "perangkat desa": (
        ("perangkat", "desa"),
        ("kaur",),
        ("kasi",),
        ("kadus",),
        ("kepala", "dusun"),
        ("kamituwo",),
    ),
    "bpd": (("bpd",), ("badan", "permusyawaratan", "desa")),
    "babinsa": (("babinsa",),),
    "bhabinkamtibmas": (("bhabinkamtibmas",), ("bhabin",)),
    "bidan": (("bidan",),),
    "perawat": (("perawat",),),
    "dokter": (("dokter",),),
    "penyuluh": (("penyuluh",),),
    "kepala dinas": (("kepala", "dinas"), ("kadis",)),
    "sekretaris daerah": (("sekretaris", "daerah"), ("sekda",)),
}
# A position that is also another: a headmaster teaches, a village secretary is staff.
POSITION_IMPLIES = {
    "kepala sekolah": ("guru",),
    "sekretaris desa": ("perangkat desa",),
}
KIND_POSITIONS: dict[str, tuple[str, ...]] = {
    SubjectKind.VILLAGE_HEAD: ("kepala desa",),
    SubjectKind.VILLAGE_OFFICIAL: ("perangkat desa",),
    SubjectKind.BPD: ("bpd",),
}

# Agencies' common abbreviations, by the words of their names.
AGENCY_ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("dinas", "pendidikan"): ("disdik", "dispendik", "diknas"),
    ("dinas", "kesehatan"): ("dinkes",),
    ("dinas", "sosial"): ("dinsos",),
    ("dinas", "perhubungan"): ("dishub",),
    ("dinas", "pertanian"): ("distan",),
    ("dinas", "pariwisata"): ("dispar", "disparbud"),
    ("dinas", "pekerjaan", "umum"): ("dpu",),
    ("dinas", "kependudukan", "dan", "pencatatan", "sipil"): ("disdukcapil", "dukcapil"),
    ("dinas", "lingkungan", "hidup"): ("dlh",),
    ("badan", "kepegawaian", "daerah"): ("bkd",),
    ("badan", "kepegawaian", "dan", "pengembangan", "sumber", "daya", "manusia"): ("bkpsdm",),
    ("badan", "perencanaan", "pembangunan", "daerah"): ("bappeda",),
    ("badan", "pendapatan", "daerah"): ("bapenda",),
    ("badan", "penanggulangan", "bencana", "daerah"): ("bpbd",),
    ("sekretariat", "daerah"): ("setda",),
    ("satuan", "polisi", "pamong", "praja"): ("satpol", "satpolpp"),
    ("rumah", "sakit", "umum", "daerah"): ("rsud",),
    ("pusat", "kesehatan", "masyarakat"): ("puskesmas",),
    ("kementerian", "agama"): ("kemenag",),
    ("kantor", "urusan", "agama"): ("kua",),
}


_Index = dict[str, tuple[tuple[str, tuple[str, ...]], ...]]


def _by_first_word(table: dict[str, tuple[tuple[str, ...], ...]]) -> _Index:
    """The phrases of ``table`` by their first word: (entry, phrase) each."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for name, phrases in table.items():
        for phrase in phrases:
            index[phrase[0]].append((name, phrase))
    return {word: tuple(entries) for word, entries in index.items()}


KIND_INDEX = _by_first_word(KIND_WORDS)
POSITION_INDEX = _by_first_word(POSITIONS)


def _phrases_in(text: _Text, index: _Index) -> dict[str, tuple[int, int]]:
    """The entries of ``index`` whose phrases ``text`` holds, each with where its phrase
    first stands (index into the tokens) and how many words it has."""
    found: dict[str, tuple[int, int]] = {}
    tokens = text.tokens
    for start, token in enumerate(tokens):
        for name, phrase in index.get(token, ()):
            if name not in found and tokens[start : start + len(phrase)] == phrase:
                found[name] = (start, len(phrase))
    return found


def _positions_of(position: str, kind: str) -> frozenset[str]:
    text = _Text.of(position, "position")
    found = set(_phrases_in(text, POSITION_INDEX))
    found.update(KIND_POSITIONS.get(kind, ()))
    for name in list(found):
        found.update(POSITION_IMPLIES.get(name, ()))
    return frozenset(found)


def _place_words(name: str) -> tuple[str, ...]:
    """A region's name as words without what kind of region it is (``Kabupaten Malang`` →
    ``malang``)."""
    tokens = [fold(m.group()) for m in _WORD.finditer(name)]
    while len(tokens) > 1 and tokens[0] in ADMIN_WORDS:
        tokens.pop(0)
    return tuple(tokens)


def _nips(text: str) -> list[tuple[str, str]]:
    """NIP-like numbers in ``text``: (18 digits, as written). An NIP is a birth date
    (YYYYMMDD), the month of appointment (YYYYMM), a sex digit and a serial number."""
    found: list[tuple[str, str]] = []
    for match in _NIP.finditer(text):
        digits = "".join(match.groups())
        born_y, born_m, born_d = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
        hired_y, hired_m = int(digits[8:12]), int(digits[12:14])
        plausible = (
            1940 <= born_y <= 2010
            and 1 <= born_m <= 12
            and 1 <= born_d <= 31
            and 1960 <= hired_y <= 2040
            and 1 <= hired_m <= 12
            and digits[14] in "12"
        )
        if plausible:
            found.append((digits, match.group()))
    return found


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class SubjectRecord:
    """What linkage reads of a subject; ``places`` are its workplace, the regions above it,
    and its agency's seat."""

    id: int
    kind: str
    full_name: str
    nip: str = ""
    nrp: str = ""
    position: str = ""
    agency: str = ""
    places: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountRecord:
    id: int
    handle: str = ""
    display_name: str = ""
    bio: str = ""


@dataclass(frozen=True, slots=True)
class Proposal:
    account_id: int
    subject_id: int
    score: float
    reasons: tuple[LinkReason, ...]

    @property
    def from_bio(self) -> bool:
        """Whether a reason came from the bio (the proof is then the profile as seen)."""
        return any(reason.field == "bio" for reason in self.reasons)


@dataclass(frozen=True, slots=True)
class _Agency:
    name: str
    phrases: tuple[tuple[str, ...], ...]
    abbreviations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _PlacePhrase:
    code: str
    name: str
    level: str
    words: tuple[str, ...]
    common: bool  # an everyday word: counts only where it reads as a name


@dataclass(slots=True)
class _Subject:
    record: SubjectRecord
    tokens: tuple[str, ...]
    joined: str
    compact: str
    vocabulary: frozenset[str]  # name words long enough to cut a handle by
    longest: int
    positions: frozenset[str]
    agency: _Agency | None
    places: tuple[_PlacePhrase, ...]
    codes: tuple[str, ...]
    namesakes: int = 1  # subjects of the Linker with the same name words, this one included


@dataclass(frozen=True, slots=True)
class Mention:
    """A province or regency named in a profile: the words, every code of that name."""

    snippet: str
    codes: tuple[str, ...]
    field: str


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Province and regency names, to notice a profile that names a region elsewhere."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]]

    @classmethod
    def of(cls, regions: Iterable[tuple[str, str]]) -> Gazetteer:
        names: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for code, name in regions:
            phrase = _place_words(name)
            if phrase:
                names[phrase].append(code)
        by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], bool]]] = defaultdict(list)
        common = _common()
        for phrase, codes in names.items():
            by_first[phrase[0]].append(
                (phrase, tuple(sorted(codes)), len(phrase) == 1 and phrase[0] in common)
            )
        return cls({k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in by_first.items()})

    def mentions(self, texts: Sequence[_Text]) -> list[Mention]:
        """The provinces and regencies named in ``texts``."""
        found: list[Mention] = []
        for text in texts:
            for index, token in enumerate(text.tokens):
                for phrase, codes, common in self.by_first.get(token, ()):
                    if text.tokens[index : index + len(phrase)] != phrase:
                        continue
                    marked = text.marked_at(index)
                    if common and not text.named_at(index):
                        continue
                    snippet = text.snippet(index, len(phrase), before=int(marked))
                    found.append(Mention(snippet, codes, text.field))
                    break
        return found


def _leaves(codes: Sequence[str]) -> tuple[str, ...]:
    """The codes that are no other code's ancestor: where a subject really is (its
    workplace, an agency seated elsewhere), not the province around everybody."""
    return tuple(c for c in codes if not any(o.startswith(c + ".") for o in codes))


def _related(a: str, b: str) -> bool:
    """One region code lies within the other (or they are the same)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


# --- the linker --------------------------------------------------------------------------


def _subject_keys(tokens: Sequence[str]) -> set[str]:
    """Blocking keys of a subject's name: each rare word (``t:``), each pair of words in
    order (``f:``), each word with the next one's initial and the reverse (``p:``), and
    the word of a one-word name (``m:``)."""
    keys = {f"t:{t}" for t in tokens if len(t) >= MIN_PIECE}
    if len(tokens) == 1 and len(tokens[0]) >= MIN_PIECE:
        keys.add(f"m:{tokens[0]}")
    for i, a in enumerate(tokens):
        for b in tokens[i + 1 :]:
            keys.add(f"f:{a}|{b}")
    for a, b in pairwise(tokens):
        keys.add(f"p:{a}|{b[0]}")
        keys.add(f"p:{a[0]}|{b}")
    return keys


def _account_keys(
    tokens: Sequence[str], vocabulary: frozenset[str], prefixes: frozenset[str]
) -> set[str]:
    """Blocking keys of an account's name words (display name or handle pieces), in the
    subjects' terms. Two known words make a ``f:`` key; a word and a piece that may be
    short for a name word (an initial, ``wbw``, the start of one) make a ``p:`` key, so
    that an unknown word ("Guru") does not bring every subject with that initial."""
    head = list(tokens[:6])
    keys = {f"t:{t}" for t in head if len(t) >= MIN_PIECE}
    known = [t for t in head if t in vocabulary]
    if len(known) == 1:
        # One known word ("Pak Sutrisno", "kades_budi"): it may be a one-word name.
        keys.add(f"m:{known[0]}")

    def short(piece: str) -> bool:
        return piece not in vocabulary and (len(piece) <= 3 or piece in prefixes)

    for i, a in enumerate(head):
        for b in head[i + 1 :]:
            if a in vocabulary and b in vocabulary:
                keys.add(f"f:{a}|{b}")
            elif a in vocabulary and short(b):
                keys.add(f"p:{a}|{b[0]}")
            elif b in vocabulary and short(a):
                keys.add(f"p:{a[0]}|{b}")
    return keys


def _segment(run: str, vocabulary: frozenset[str] | set[str], longest: int) -> list[str]:
    """A run of letters cut into known words, greedily longest first; what lies between
    known words stays as pieces of its own (``sutrisnowbw`` → sutrisno, wbw)."""
    if len(run) < 2 * MIN_PIECE or run in vocabulary:
        return [run]
    pieces: list[str] = []
    rest = ""
    i = 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), MIN_PIECE - 1, -1):
            if run[i : i + size] in vocabulary:
                if rest:
                    pieces.append(rest)
                    rest = ""
                pieces.append(run[i : i + size])
                i += size
                break
        else:
            rest += run[i]
            i += 1
    if rest:
        pieces.append(rest)
    return pieces


def _handle_runs(handle: str) -> list[str]:
    return _LETTERS.findall(fold(handle))


def _abbreviates(piece: str, word: str) -> bool:
    """``piece`` is ``word`` written short: same first letter, its letters in order
    (``wbw`` for wibowo, ``rhmwt`` for rahmawati)."""
    if len(piece) < 2 or piece[0] != word[0] or len(piece) >= len(word):
        return False
    letters = iter(word)
    return all(c in letters for c in piece)


def _piece_score(piece: str, word: str) -> float:
    if piece == word:
        return 1.0
    if len(piece) >= 4 and (word.startswith(piece) or piece.startswith(word)):
        return 0.9
    if len(piece) >= 3 and word.endswith(piece):
        return 0.75  # a Javanese nickname: Sutrisno → Tris
    if len(piece) == 1 and word.startswith(piece):
        return 0.5
    ratio = fuzz.ratio(piece, word) / 100
    if ratio >= 0.85:
        return ratio * 0.95
    if _abbreviates(piece, word):
        return 0.7
    return 0.0


def _aligned(words_: Sequence[str], pieces: Sequence[str]) -> float:
    """How well ``pieces`` spell the name ``words_``: the mean best score of each name
    word, lowered a little for pieces that matched nothing."""
    if not words_ or not pieces:
        return 0.0
    used: set[int] = set()
    total = 0.0
    for word in words_:
        best, best_at = 0.0, -1
        for index, piece in enumerate(pieces):
            score = _piece_score(piece, word)
            if score > best:
                best, best_at = score, index
        total += best
        if best_at >= 0:
            used.add(best_at)
    coverage = total / len(words_)
    precision = len(used) / len(pieces)
    return coverage * (0.85 + 0.15 * precision)


def _ramp(similarity: float, weight: float) -> float:
    if similarity < NAME_FLOOR:
        return 0.0
    return weight * min(1.0, (similarity - NAME_FLOOR) / (1 - NAME_FLOOR))


@dataclass
class _AccountView:
    record: AccountRecord
    display: tuple[str, ...]
    display_joined: str
    handle_runs: list[str]
    handle_compact: str
    texts: tuple[_Text, ...]  # bio, display name, handle: where cues are looked for
    kinds: dict[str, tuple[_Text, int, int]] = field(default_factory=dict)
    positions: dict[str, tuple[_Text, int, int]] = field(default_factory=dict)
    nips: list[tuple[str, str]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


class _Cue(NamedTuple):
    """A reason before its text is translated: only proposals that are kept need words."""

    kind: str
    message: str  # marked with gettext_noop, translated in ``reason``
    params: dict[str, object]
    evidence: str
    weight: float
    field: str

    def reason(self) -> LinkReason:
        text = _(self.message) % self.params if self.params else _(self.message)
        return LinkReason(self.kind, text, self.evidence, round(self.weight, 3), self.field)


def _rarity(share: float) -> float:
    """How much a cue that many subjects share still says: all of it up to a tenth of
    them, down to 0.4 of it at half of them ("guru" among teachers)."""
    if share <= 0.1:
        return 1.0
    return max(0.4, 1 - (share - 0.1) * 1.5)


# Shares are counted over the subjects plus this many that hold no cue, so that a small
# registry (one office's dozen subjects) does not make every cue look common.
SHARE_PRIOR = 100


class Linker:
    """Proposals for accounts over a fixed set of subjects (see the module's docstring)."""

    def __init__(
        self,
        subjects: Iterable[SubjectRecord],
        *,
        gazetteer: Gazetteer | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        namesakes: Counter[tuple[str, ...]] | None = None,
    ) -> None:
        """``namesakes`` counts the subjects of the whole registry by their sorted name
        words (``name_counts``), so that a run over one region weighs a name as a run over
        all does; without it, the subjects given are counted."""
        self.threshold = threshold
        self.gazetteer = gazetteer or Gazetteer({})
        self.subjects: list[_Subject] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.by_nip: dict[str, int] = {}
        self.by_nrp: dict[str, list[int]] = defaultdict(list)
        vocabulary: set[str] = set()
        names: Counter[tuple[str, ...]] = Counter()
        positions: Counter[str] = Counter()
        groups: Counter[str] = Counter()
        for record in subjects:
            at = len(self.subjects)
            subject = self._prepare(record)
            self.subjects.append(subject)
            for key in _subject_keys(subject.tokens):
                self.index[key].append(at)
            vocabulary.update(subject.vocabulary)
            names[tuple(sorted(subject.tokens))] += 1
            positions.update(subject.positions)
            groups[KIND_GROUP.get(record.kind, "")] += 1
            if record.nip:
                self.by_nip[record.nip] = at
            if record.nrp:
                self.by_nrp[record.nrp].append(at)
        for subject in self.subjects:
            subject.namesakes = max(1, (namesakes or names)[tuple(sorted(subject.tokens))])
        total = len(self.subjects) + SHARE_PRIOR
        self.position_weight = {
            name: WEIGHTS["position"] * _rarity(count / total) for name, count in positions.items()
        }
        self.kind_weight = {
            name: WEIGHTS["kind"] * _rarity(count / total) for name, count in groups.items()
        }
        self.vocabulary = frozenset(vocabulary)
        self.prefixes = frozenset(
            word[:size] for word in vocabulary for size in range(4, len(word))
        )
        self.longest = max(map(len, vocabulary), default=0)
        self.scored = 0  # candidate pairs scored so far

    @staticmethod
    def _prepare(record: SubjectRecord) -> _Subject:
        tokens = name_tokens(record.full_name)
        agency: _Agency | None = None
        if record.agency:
            agency_words = tuple(fold(m.group()) for m in _WORD.finditer(record.agency))
            expanded = tuple(_Text.of(record.agency, "agency").tokens)
            phrases = {expanded, agency_words}
            for marker in ("kabupaten", "kota", "provinsi", "kecamatan", "desa", "kelurahan"):
                if marker in expanded[1:]:
                    phrases.add(expanded[: expanded.index(marker)])
            abbreviations = {
                short
                for words_, shorts in AGENCY_ABBREVIATIONS.items()
                for short in shorts
                if any(p[: len(words_)] == words_ for p in phrases)
            }
            core = min(phrases, key=len)
            initials = "".join(w[0] for w in core if w != "dan" and w.isalpha())
            if len(initials) >= 3 and initials not in _common():
                abbreviations.add(initials)
            common_words = _common()
            agency = _Agency(
                record.agency,
                tuple(
                    sorted(
                        (p for p in phrases if p and not (len(p) == 1 and p[0] in common_words)),
                        key=len,
                        reverse=True,
                    )
                ),
                tuple(sorted(abbreviations)),
            )
        common = _common()
        places = []
        for place in record.places:
            phrase = _place_words(place.name)
            if phrase:
                places.append(
                    _PlacePhrase(
                        place.code,
                        place.name,
                        place.level,
                        phrase,
                        len(phrase) == 1 and phrase[0] in common,
                    )
                )
        vocabulary = frozenset(t for t in tokens if len(t) >= MIN_PIECE)
        return _Subject(
            record=record,
            tokens=tokens,
            joined=" ".join(tokens),
            compact="".join(tokens),
            vocabulary=vocabulary,
            longest=max(map(len, vocabulary), default=0),
            positions=_positions_of(record.position, record.kind),
            agency=agency,
            places=tuple(places),
            codes=_leaves([p.code for p in record.places]),
        )

    # --- one account ---------------------------------------------------------------------

    def _view(self, record: AccountRecord) -> _AccountView:
        runs = _handle_runs(record.handle)
        texts = tuple(
            _Text.of(value, name)
            for value, name in (
                (record.bio, "bio"),
                (record.display_name, "display_name"),
                (" ".join(runs), "handle"),
            )
            if value
        )
        display = name_tokens(record.display_name)
        view = _AccountView(
            record=record,
            display=display,
            display_joined=" ".join(display),
            handle_runs=runs,
            handle_compact="".join(runs),
            texts=texts,
        )
        for text in texts:
            for name, (start, length) in _phrases_in(text, KIND_INDEX).items():
                view.kinds.setdefault(name, (text, start, length))
            for name, (start, length) in _phrases_in(text, POSITION_INDEX).items():
                view.positions.setdefault(name, (text, start, length))
        view.nips = _nips(record.bio)
        view.mentions = self.gazetteer.mentions([t for t in texts if t.field != "handle"])
        return view

    def candidates(self, view: _AccountView) -> set[int]:
        """The subjects ``view`` shares a usable blocking key with, or its NIP or NRP."""
        pieces = [p for run in view.handle_runs for p in self._split(run)]
        keys = _account_keys(view.display, self.vocabulary, self.prefixes)
        keys |= _account_keys(pieces, self.vocabulary, self.prefixes)
        found: set[int] = set()
        for key in keys:
            postings = self.index.get(key)
            if not postings:
                continue
            limit = RARE_KEY if key.startswith("t:") else PAIR_KEY
            if len(postings) <= limit:
                found.update(postings)
        for digits, _written in view.nips:
            if digits in self.by_nip:
                found.add(self.by_nip[digits])
        if self.by_nrp and view.record.bio:
            for match in re.finditer(r"\d{5,}", view.record.bio):
                found.update(self.by_nrp.get(match.group(), ()))
        return found

    def _split(self, run: str) -> list[str]:
        return _segment(run, self.vocabulary, self.longest)

    def propose(self, record: AccountRecord) -> list[Proposal]:
        """The subjects ``record`` may belong to with a score at or above the threshold,
        best first."""
        view = self._view(record)
        kept: list[Proposal] = []
        for index in self.candidates(view):
            scored = self._score(view, self.subjects[index])
            if scored is not None and scored[0] >= self.threshold:
                kept.append(self._proposal(view, self.subjects[index], *scored))
        return sorted(kept, key=lambda p: (-p.score, p.subject_id))

    def score(self, record: AccountRecord, subject_id: int) -> Proposal | None:
        """The score of one pair whatever the threshold and blocking (for explaining a
        low score); None when the subject is not known or nothing ties them."""
        for subject in self.subjects:
            if subject.record.id == subject_id:
                view = self._view(record)
                scored = self._score(view, subject)
                return self._proposal(view, subject, *scored) if scored else None
        return None

    @staticmethod
    def _proposal(
        view: _AccountView, subject: _Subject, score: float, cues: list[_Cue]
    ) -> Proposal:
        return Proposal(
            view.record.id, subject.record.id, score, tuple(cue.reason() for cue in cues)
        )

    # --- scoring -------------------------------------------------------------------------

    def _name_cues(self, view: _AccountView, subject: _Subject) -> list[_Cue]:
        found: list[tuple[float, _Cue]] = []
        if view.display and subject.tokens:
            similarity = fuzz.token_sort_ratio(view.display_joined, subject.joined) / 100
            if similarity < 1:
                similarity = max(similarity, _aligned(subject.tokens, view.display))
            weight = _ramp(similarity, DISPLAY_WEIGHT)
            if weight:
                message = gettext_noop("Nama tampilan mirip nama subjek (%(percent)d%%).")
                evidence = view.record.display_name
                found.append(
                    (
                        weight,
                        _Cue(
                            "display_name",
                            message,
                            {"percent": round(similarity * 100)},
                            evidence,
                            weight,
                            "display_name",
                        ),
                    )
                )
        if view.handle_runs and subject.tokens:
            similarity = fuzz.ratio(view.handle_compact, subject.compact) / 100
            if similarity < 0.95:
                pieces = [
                    p
                    for run in view.handle_runs
                    for p in _segment(run, subject.vocabulary, subject.longest)
                ]
                similarity = max(similarity, _aligned(subject.tokens, pieces))
            weight = _ramp(similarity, HANDLE_WEIGHT)
            if weight:
                message = gettext_noop("Nama akun mirip nama subjek (%(percent)d%%).")
                found.append(
                    (
                        weight,
                        _Cue(
                            "handle",
                            message,
                            {"percent": round(similarity * 100)},
                            f"@{view.record.handle}",
                            weight,
                            "handle",
                        ),
                    )
                )
        if not found:
            return []
        found.sort(key=lambda f: -f[0])
        # Namesakes in the registry share what a name says: each gets less of it.
        split = 1 / sqrt(subject.namesakes)
        strong = min(NAME_CAP, found[0][0]) * split
        first = found[0][1]
        if subject.namesakes > 1:
            first = first._replace(
                message=(
                    gettext_noop(
                        "Nama tampilan mirip nama subjek (%(percent)d%%), dengan %(count)d subjek "
                        "terdaftar bernama sama."
                    )
                    if first.kind == "display_name"
                    else gettext_noop(
                        "Nama akun mirip nama subjek (%(percent)d%%), dengan %(count)d subjek "
                        "terdaftar bernama sama."
                    )
                ),
                params={**first.params, "count": subject.namesakes},
            )
        out = [first._replace(weight=strong)]
        extra = min(NAME_CAP * split - strong, 0.25 * found[1][0] * split) if len(found) > 1 else 0
        if extra >= 0.001:  # a second name reason that adds nothing is not shown
            out.append(found[1][1]._replace(weight=extra))
        return out

    def _score(self, view: _AccountView, subject: _Subject) -> tuple[float, list[_Cue]] | None:
        self.scored += 1
        record = subject.record
        cues = self._name_cues(view, subject)
        identified = False
        for digits, written in view.nips:
            if record.nip and digits == record.nip:
                identified = True
                message = gettext_noop("NIP di bio sama dengan NIP subjek.")
                cues.append(_Cue("nip", message, {}, written, WEIGHTS["nip"], "bio"))
                break
        if (
            record.nrp
            and view.record.bio
            and re.search(rf"(?<!\d){re.escape(record.nrp)}(?!\d)", view.record.bio)
        ):
            identified = True
            message = gettext_noop("NRP di bio sama dengan NRP subjek.")
            cues.append(_Cue("nrp", message, {}, record.nrp, WEIGHTS["nrp"], "bio"))
        if not cues:
            return None  # no name and no number: blocking brought a stranger
        group = KIND_GROUP.get(record.kind)
        if group and group in view.kinds:
            text, start, length = view.kinds[group]
            message = gettext_noop(
                "Profil menyebut status yang sesuai dengan jenis subjek (%(label)s)."
            )
            cues.append(
                _Cue(
                    "kind",
                    message,
                    {"label": KIND_LABELS[group]},
                    text.snippet(start, length),
                    self.kind_weight.get(group, WEIGHTS["kind"]),
                    text.field,
                )
            )
        shared = sorted(subject.positions & view.positions.keys())
        if shared:
            text, start, length = view.positions[shared[0]]
            message = gettext_noop("Profil menyebut jabatan subjek (%(position)s).")
            cues.append(
                _Cue(
                    "position",
                    message,
                    {"position": shared[0]},
                    text.snippet(start, length),
                    max(self.position_weight.get(name, WEIGHTS["position"]) for name in shared),
                    text.field,
                )
            )
        agency = self._agency_cue(view, subject)
        if agency is not None:
            cues.append(agency)
        region = self._region_cue(view, subject)
        if region is not None:
            cues.append(region)
        elif view.mentions and not any(
            _related(code, own)
            for mention in view.mentions
            for code in mention.codes
            for own in subject.codes
        ):
            first = view.mentions[0]
            message = gettext_noop(
                "Profil menyebut wilayah lain, bukan wilayah subjek (%(region)s)."
            )
            cues.append(
                _Cue(
                    "region_conflict",
                    message,
                    {"region": ", ".join(m.snippet for m in view.mentions[:3])},
                    first.snippet,
                    REGION_CONFLICT,
                    first.field,
                )
            )
        if record.nip and view.nips and not identified:
            message = gettext_noop("Bio memuat NIP lain, bukan NIP subjek.")
            cues.append(_Cue("nip_conflict", message, {}, view.nips[0][1], NIP_CONFLICT, "bio"))
        against = 1.0
        missing = 1.0
        for cue in cues:
            if cue.weight < 0:
                against *= 1 + cue.weight
            else:
                missing *= 1 - cue.weight
        return round((1 - missing) * against, 3), cues

    @staticmethod
    def _agency_cue(view: _AccountView, subject: _Subject) -> _Cue | None:
        agency = subject.agency
        if agency is None:
            return None
        for text in view.texts:
            for phrase in agency.phrases:
                start = text.find(phrase)
                if start >= 0:
                    message = gettext_noop("Profil menyebut instansi subjek (%(agency)s).")
                    return _Cue(
                        "agency",
                        message,
                        {"agency": agency.name},
                        text.snippet(start, len(phrase)),
                        WEIGHTS["agency"],
                        text.field,
                    )
        for text in view.texts:
            for short in agency.abbreviations:
                start = text.find((short,))
                if start >= 0:
                    message = gettext_noop(
                        "Profil menyebut singkatan instansi subjek (%(short)s: %(agency)s)."
                    )
                    return _Cue(
                        "agency_abbreviation",
                        message,
                        {"short": short.upper(), "agency": agency.name},
                        text.snippet(start, 1),
                        WEIGHTS["agency_abbreviation"],
                        text.field,
                    )
        return None

    @staticmethod
    def _region_cue(view: _AccountView, subject: _Subject) -> _Cue | None:
        best: _Cue | None = None
        for place in subject.places:
            weight = REGION_WEIGHTS.get(place.level, 0.1)
            if best is not None and best.weight >= weight:
                continue
            for text in view.texts:
                start = text.find(place.words, named=place.common)
                if start < 0:
                    continue
                message = gettext_noop("Profil menyebut wilayah subjek (%(region)s).")
                best = _Cue(
                    "region",
                    message,
                    {"region": place.name},
                    text.snippet(start, len(place.words), before=int(text.marked_at(start))),
                    weight,
                    text.field,
                )
                break
        return best


# --- loading from the database -----------------------------------------------------------

_CHUNK = 500


def subject_records(region: str | None) -> list[SubjectRecord]:
    """The subjects working in ``region`` or whose agency sits there (all when None), with
    the names of their workplace, the regions above it and their agency's seat."""
    rows = list(
        subjects_within(region)
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "full_name",
            "nip",
            "nrp",
            "position",
            "agency__name",
            "agency__region_id",
            "workplace_id",
        )
    )
    codes: set[str] = set()
    for row in rows:
        for code in (row[7], row[8]):
            if code:
                codes.add(code)
                codes.update(ancestor_codes(code))
    names: dict[str, tuple[str, str]] = {}
    for chunk in chunked(sorted(codes), _CHUNK):
        for code, name, level in Region.objects.filter(code__in=chunk).values_list(
            "code", "name", "level"
        ):
            names[code] = (name, level)
    out: list[SubjectRecord] = []
    for pk, kind, full_name, nip, nrp, position, agency, agency_region, workplace in rows:
        places: dict[str, Place] = {}
        for code in (workplace, agency_region):
            if not code:
                continue
            for each in [code, *ancestor_codes(code)]:
                if each in names and each not in places:
                    places[each] = Place(each, *names[each])
        out.append(
            SubjectRecord(
                id=pk,
                kind=kind,
                full_name=full_name,
                nip=nip,
                nrp=nrp,
                position=position,
                agency=agency or "",
                places=tuple(places.values()),
            )
        )
    return out


def name_key(full_name: str) -> tuple[str, ...]:
    """What makes two subjects namesakes: the same name words, titles aside, in any order."""
    return tuple(sorted(name_tokens(full_name)))


def name_counts() -> Counter[tuple[str, ...]]:
    """Every subject of the registry counted by ``name_key`` (streamed: a steady memory)."""
    counts: Counter[tuple[str, ...]] = Counter()
    names = subjects_within(None).order_by().values_list("full_name", flat=True)
    for full_name in names.iterator(chunk_size=10_000):
        counts[name_key(full_name)] += 1
    return counts


def gazetteer() -> Gazetteer:
    """Every province and regency stored, by name."""
    return Gazetteer.of(
        Region.objects.filter(level__in=[Level.PROVINCE, Level.REGENCY]).values_list("code", "name")
    )


def account_records(batch: int = 5000) -> Iterator[list[AccountRecord]]:
    """Every account, in batches by key (a steady memory however many there are)."""
    after = 0
    while True:
        rows = list(
            Account.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "handle", "display_name", "bio")[:batch]
        )
        if not rows:
            return
        yield [AccountRecord(*row) for row in rows]
        after = rows[-1][0]
