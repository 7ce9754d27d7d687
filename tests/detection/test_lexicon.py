"""The election lexicon: every kind of term, word boundaries, and weak terms that count only
with campaign context or a strong term of the same candidate."""

from __future__ import annotations

from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

from netra.detection.lexicon import (
    CandidateSource,
    Lexicon,
    Support,
    guessed_acronyms,
    lexicon_for,
)
from netra.detection.models import LexiconAlias, TermKind
from netra.elections.models import Candidate, CandidateAccount, Election
from netra.elections.services import elections_import
from netra.geo.models import Region

ELECTION_FILE = Path(__file__).parent / "data" / "pilkada-detect.yaml"


@pytest.fixture
def election(regions: dict[str, Region]) -> Election:
    elections_import(path=ELECTION_FILE)
    return Election.objects.get(slug="pilkada-2024-kab-malang-deteksi")


@pytest.fixture
def lexicon(election: Election) -> Lexicon:
    return lexicon_for(election)


def counted(lexicon: Lexicon, text: str) -> list[tuple[int, TermKind, str]]:
    return [(h.number, h.kind, h.surface) for h in lexicon.scan(text).hits]


def set_aside(lexicon: Lexicon, text: str) -> list[tuple[int, TermKind, str]]:
    return [(h.number, h.kind, h.surface) for h in lexicon.scan(text).unsupported]


# --- homonyms: weak terms without context do not count -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ya Allah semoga ibu lekas sembuh, aamiin 🤲🏻",
        "Amin ya rabbal alamin",
        "Semoga berkah selalu. Amiiin",
    ],
)
def test_amin_after_a_prayer_is_not_the_candidate_called_amin(lexicon: Lexicon, text: str) -> None:
    scan = lexicon.scan(text)

    assert scan.hits == ()
    assert [(h.number, h.kind, h.term, h.support) for h in scan.unsupported] == [
        (2, TermKind.ALIAS, "amin", None)
    ]


def test_amin_with_campaign_words_is_the_candidate(lexicon: Lexicon) -> None:
    scan = lexicon.scan("Bismillah, 27 November pilih Amin, insyaallah menang")

    assert [(h.number, h.kind, h.term, h.weak, h.support, h.context) for h in scan.hits] == [
        (2, TermKind.ALIAS, "amin", True, Support.CAMPAIGN, "pilih")
    ]


def test_a_queue_number_is_not_a_ballot_number(lexicon: Lexicon) -> None:
    text = "Antrean nomor 2 di puskesmas lama bgt 😩"

    assert counted(lexicon, text) == []
    assert set_aside(lexicon, text) == [(2, TermKind.NUMBER, "nomor 2")]


def test_a_bare_number_with_a_campaign_word_counts(lexicon: Lexicon) -> None:
    scan = lexicon.scan("Pilih 03 aja gaes, udah pasti")

    assert [(h.number, h.surface, h.support, h.context) for h in scan.hits] == [
        (3, "03", Support.CAMPAIGN, "pilih")
    ]


def test_a_campaign_word_far_away_does_not_count(lexicon: Lexicon) -> None:
    text = "Tadi pagi pilih sayur di pasar, terus ngobrol lama sama tetangga soal nomor 2"

    assert counted(lexicon, text) == []


@pytest.mark.parametrize(
    ("text", "number", "surface"),
    [
        ("Salam dua jari buat kita semua 🙏", 2, "Salam dua jari"),
        ("Jangan lupa 27 November c0bl0s nomor 1 ya lur", 1, "c0bl0s nomor 1"),
        ("paslon nomor urut 3 paling merakyat", 3, "paslon nomor urut 3"),
        ("#Coblos02", 2, "Coblos02"),
    ],
)
def test_explicit_ballot_numbers_count_alone(
    lexicon: Lexicon, text: str, number: int, surface: str
) -> None:
    scan = lexicon.scan(text)

    assert [(h.number, h.kind, h.surface, h.weak, h.support) for h in scan.hits] == [
        (number, TermKind.NUMBER, surface, False, None)
    ]


def test_a_number_no_candidate_holds_matches_nothing(lexicon: Lexicon) -> None:
    scan = lexicon.scan("paslon nomor urut 7 mana ya")

    assert (scan.hits, scan.unsupported) == ((), ())


def test_a_victory_sign_alone_is_a_peace_sign(lexicon: Lexicon) -> None:
    assert counted(lexicon, "Foto bareng temen kantor ✌🏻😁") == []
    assert set_aside(lexicon, "Foto bareng temen kantor ✌🏻😁") == [(2, TermKind.NUMBER, "✌🏻")]


def test_a_victory_sign_beside_the_candidate_counts(lexicon: Lexicon) -> None:
    scan = lexicon.scan("Bareng Aminudin Hakim ✌️")

    assert [(h.number, h.kind, h.surface, h.support, h.context) for h in scan.hits] == [
        (2, TermKind.NAME, "Aminudin Hakim", None, ""),
        (2, TermKind.NUMBER, "✌️", Support.CANDIDATE, "aminudin hakim"),
    ]


def test_an_everyday_word_that_is_a_name_needs_context(lexicon: Lexicon) -> None:
    assert counted(lexicon, "Makanannya bagus bgt, recommended 👍") == []
    assert counted(lexicon, "Dukung mas bagus jadi bupati 2 periode!") == [
        (1, TermKind.ALIAS, "mas bagus")
    ]


def test_a_party_that_is_a_common_noun_needs_context_and_one_that_is_a_name_does_not(
    lexicon: Lexicon,
) -> None:
    assert counted(lexicon, "Demokrat itu sistem yang baik") == []
    assert counted(lexicon, "Perindo kompak turun ke desa") == [(1, TermKind.PARTY, "Perindo")]
    assert counted(lexicon, "Partai Demokrat siap menangkan pilkada") == [
        (1, TermKind.PARTY, "Partai Demokrat")
    ]


def test_a_common_first_name_alone_needs_context(lexicon: Lexicon) -> None:
    assert counted(lexicon, "Pak Agus datang ke rumah bawa durian") == []
    assert counted(lexicon, "Agus Prasetyo Nugroho blusukan ke pasar") == [
        (3, TermKind.NAME, "Agus Prasetyo Nugroho")
    ]


# --- strong terms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bagus Santoso Wiryawan hadir di Donomulyo",
            [(1, TermKind.NAME, "Bagus Santoso Wiryawan")],
        ),
        ("ketemu bu Kartikasari di pasar", [(1, TermKind.NAME, "Kartikasari")]),
        (
            "Wiryawan-Kartikasari untuk Malang",
            [(1, TermKind.NAME, "Wiryawan"), (1, TermKind.NAME, "Kartikasari")],
        ),
        ("bagus-ratna pokoke", [(1, TermKind.NAME, "bagus-ratna")]),
        ("BSW for bupati!!", [(1, TermKind.ACRONYM, "BSW")]),
        ("#BagusRatna lanjutkan", [(1, TermKind.HASHTAG, "#BagusRatna")]),
        ("#bagusratna", [(1, TermKind.HASHTAG, "#bagusratna")]),
        ("Malang maju bersama, mantul", [(1, TermKind.SLOGAN, "Malang maju bersama")]),
        ("cek ig @bagusratna.fiktif", [(1, TermKind.ACCOUNT, "@bagusratna.fiktif")]),
        (
            "https://www.instagram.com/bagusratna.fiktif/ mantap",
            [(1, TermKind.ACCOUNT, "https://www.instagram.com/bagusratna.fiktif/")],
        ),
        ("RT @TimAminSekar_fiktif: kumpul jam 8", [(2, TermKind.ACCOUNT, "@TimAminSekar_fiktif")]),
        ("Koalisi Desa Berdaya turun gunung", [(2, TermKind.PARTY, "Koalisi Desa Berdaya")]),
        ("#AminSekar", [(2, TermKind.HASHTAG, "#AminSekar")]),
        ("S3kar Ayu Pr4mesti datang", [(2, TermKind.NAME, "S3kar Ayu Pr4mesti")]),
        ("#dukungsekar sampai menang", [(2, TermKind.NAME, "sekar")]),
        ("Sulastriii wulandariii 😍", [(3, TermKind.NAME, "Sulastriii wulandariii")]),
    ],
)
def test_strong_terms_count_alone(
    lexicon: Lexicon, text: str, expected: list[tuple[int, TermKind, str]]
) -> None:
    scan = lexicon.scan(text)

    assert [(h.number, h.kind, h.surface) for h in scan.hits] == expected
    assert all(not h.weak and h.support is None for h in scan.hits)


@pytest.mark.parametrize(
    "text",
    [
        "Hakimnya sudah memutus perkara",  # "hakim" is a word part, not the word
        "Wiryawanto tetangga saya",
        "Sekarang harga cabai naik",  # "sekar" inside "sekarang"
        "perindonesiaan",
        "#BagusBanget",  # "bagus" (good) is weak, and there is no campaign word
    ],
)
def test_terms_match_on_word_boundaries_only(lexicon: Lexicon, text: str) -> None:
    assert counted(lexicon, text) == []


def test_a_name_inside_the_full_name_is_reported_once(lexicon: Lexicon) -> None:
    scan = lexicon.scan("Dr. Bagus Santoso Wiryawan, S.H. menyapa warga")

    assert [(h.term, h.kind) for h in scan.hits] == [("bagus santoso wiryawan", TermKind.NAME)]
    assert scan.unsupported == ()


def test_a_hit_says_where_it_is_in_the_original_text(lexicon: Lexicon) -> None:
    text = "Mantaaap!! Ayo, Paslon Nomor Urut 02 💪 bareng Cak Amin"

    scan = lexicon.scan(text)

    assert [(h.number, h.kind, h.start, h.end, text[h.start : h.end]) for h in scan.hits] == [
        (2, TermKind.NUMBER, 16, 36, "Paslon Nomor Urut 02"),
        (2, TermKind.ALIAS, 46, 54, "Cak Amin"),
    ]
    assert scan.candidate_ids == {scan.hits[0].candidate_id}


def test_several_candidates_in_one_text(lexicon: Lexicon) -> None:
    scan = lexicon.scan("Debat semalam: BSW vs Aminudin Hakim vs Sulastri Wulandari")

    assert [h.number for h in scan.hits] == [1, 2, 3]


# --- terms shared by candidates, guessed acronyms ----------------------------------------


def test_a_name_two_candidates_share_counts_only_with_the_candidates_own_terms() -> None:
    lexicon = Lexicon(
        [
            CandidateSource(id=11, number=1, name="Agus Wicaksono", running_mate="Dimas Prakoso"),
            CandidateSource(id=12, number=2, name="Agus Hartawan", running_mate="Rini Oktaviani"),
        ]
    )

    assert lexicon.scan("Ayo coblos Pak Agus!").hits == ()
    scan = lexicon.scan("Agus dan Oktaviani, pilihan kita")
    assert [(h.candidate_id, h.term, h.support) for h in scan.hits] == [
        (12, "agus", Support.CANDIDATE),
        (12, "oktaviani", None),
    ]


def test_pair_acronyms_are_guessed_from_the_first_names() -> None:
    assert "amin" in guessed_acronyms("ardi", "rahmin")
    assert "gama" in guessed_acronyms("galih", "mahendra")
    lexicon = Lexicon(
        [CandidateSource(id=21, number=1, name="Ardi Wicaksono", running_mate="Rahmin Saputra")]
    )

    # "amin" is an everyday word: a campaign word alone does not make it the pair.
    assert lexicon.scan("Amin, semoga menang").hits == ()
    scan = lexicon.scan("AMIN! Ardi Wicaksono dan Rahmin Saputra")
    assert [(h.term, h.kind, h.support) for h in scan.hits] == [
        ("amin", TermKind.ACRONYM, Support.CANDIDATE),
        ("ardi wicaksono", TermKind.NAME, None),
        ("rahmin saputra", TermKind.NAME, None),
    ]


def test_a_guessed_acronym_that_is_no_word_counts_with_campaign_words() -> None:
    lexicon = Lexicon(
        [CandidateSource(id=31, number=1, name="Galih Pranata", running_mate="Mahendra Susilo")]
    )

    assert [(h.term, h.kind, h.support) for h in lexicon.scan("Gama menang!").hits] == [
        ("gama", TermKind.ACRONYM, Support.CAMPAIGN)
    ]
    assert lexicon.scan("gama").hits == ()


# --- compiled per election, rebuilt when it changes --------------------------------------


def test_the_lexicon_is_cached_until_the_candidates_change(election: Election) -> None:
    first = lexicon_for(election)
    assert lexicon_for(election) is first

    candidate = Candidate.objects.get(election=election, number=3)
    candidate.aliases = ["Bu Las"]
    candidate.save(update_fields=["aliases", "updated_at"])

    second = lexicon_for(election)
    assert second is not first
    assert second.version != first.version
    assert counted(second, "Dukung Bu Las jadi bupati") == [(3, TermKind.ALIAS, "Bu Las")]


def test_a_new_account_or_alias_rebuilds_the_lexicon(election: Election) -> None:
    first = lexicon_for(election)
    candidate = Candidate.objects.get(election=election, number=3)

    CandidateAccount.objects.create(candidate=candidate, platform="tiktok", handle="lastri.fiktif")
    second = lexicon_for(election)
    LexiconAlias.objects.create(
        election=election, candidate=candidate, term="Bu Lastri", kind=TermKind.ALIAS
    )
    third = lexicon_for(election)

    assert len({first.version, second.version, third.version}) == 3
    assert counted(third, "@lastri.fiktif live sekarang") == [
        (3, TermKind.ACCOUNT, "@lastri.fiktif")
    ]
    assert counted(third, "Ayo dukung Bu Lastri") == [(3, TermKind.ALIAS, "Bu Lastri")]
    assert counted(first, "Ayo dukung Bu Lastri") == []


def test_it_works_for_any_imported_election(regions: dict[str, Region]) -> None:
    elections_import(
        path=Path(__file__).parents[1] / "elections" / "data" / "pilkada-2024-malang.yaml"
    )

    for election in Election.objects.all():
        lexicon = lexicon_for(election)
        for candidate in election.candidates.all():
            scan = lexicon.scan(f"Ayo coblos {candidate.name} 💪")
            assert candidate.pk in scan.candidate_ids


# --- where a hit is: token indices from the spaces, or from the token starts --------------

_FICTIONAL = (
    CandidateSource(
        id=41,
        number=1,
        name="Bagus Santoso Wiryawan",
        running_mate="Ratna Dewi",
        party_or_coalition="Partai Demokrat",
        aliases=("Mas Bagus",),
        hashtags=("BagusRatna",),
        handles=("bagusratna.fiktif",),
    ),
    CandidateSource(id=42, number=2, name="Aminudin Hakim", aliases=("Cak Amin",)),
)
_WORDS = (  # noqa: SIM905 - a word list reads best as text
    "pilih coblos mas bagus santoso wiryawan ratna dewi demokrat cak amin aminudin hakim "
    "nomor 2 paslon 01 salam dua jari ✌️ #BagusRatna @bagusratna.fiktif warga pasar \ufdfa ⑴"
).split()


@hypothesis.settings(max_examples=300, deadline=None, database=None, derandomize=True)
@hypothesis.given(
    words=st.lists(st.sampled_from(_WORDS) | st.text(max_size=4), max_size=14),
    gap=st.sampled_from([" ", "  ", "\n"]),
)
def test_every_hit_names_the_tokens_and_the_span_of_its_term(words: list[str], gap: str) -> None:
    lexicon = Lexicon(_FICTIONAL)
    normalised = lexicon.normaliser.normalise(gap.join(words))

    scan = lexicon.match(normalised)

    for hit in (*scan.hits, *scan.unsupported):
        if hit.kind in (TermKind.NUMBER, TermKind.ACCOUNT) or hit.term.startswith("#"):
            continue  # not a term written as tokens: its own span is checked elsewhere
        assert " ".join(normalised.tokens[hit.first : hit.last + 1]) == hit.term
        assert (hit.start, hit.end) == normalised.span(hit.first, hit.last)


def test_a_token_holding_spaces_does_not_shift_the_hits_after_it() -> None:
    lexicon = Lexicon(_FICTIONAL)
    text = "\ufdfa pilih Cak Amin"

    scan = lexicon.scan(text)

    assert " " in scan.normalised.tokens[0]
    assert [(h.term, h.first, h.last, h.surface) for h in scan.hits] == [
        ("cak amin", 2, 3, "Cak Amin")
    ]
