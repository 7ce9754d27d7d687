"""Normalisation of Indonesian social text: each rule, ballot numbers, spans, the data."""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from itertools import accumulate

import hypothesis
import pytest
from hypothesis import strategies as st

from netra.detection.normalise import (
    MENTION,
    URL,
    BallotForm,
    Normaliser,
    _layout,
    _layout_found,
    normalise,
    slang,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # slang and abbreviations
        ("Yg gak dgn bgt", "yang tidak dengan banget"),
        ("sy tdk ikut, krn blm sdh makan", "saya tidak ikut karena belum sudah makan"),
        ("jgn lupa aja dll utk warga", "jangan lupa saja dan lain lain untuk warga"),
        ("nggak ngga ga gk enggak", "tidak tidak tidak tidak tidak"),
        ("gpp kok, santuy aja gaes", "tidak apa apa kok santai saja teman teman"),
        # Javanese, Sundanese and English mixed in
        ("Ojo lali nyoblos, dulur!", "jangan lupa mencoblos saudara"),
        ("matur nuwun sanget", "terima kasih sangat"),
        ("mboten ngerti, teu nyaho", "tidak mengerti tidak tahu"),
        ("vote and support the winner", "pilih dan dukung the pemenang"),
        # case and letters repeated for emphasis; legitimate doubles stay
        ("MANTAAAP Kereeen bangettt siiip", "mantap keren banget sip"),
        ("saat maaf sehingga taat tinggi", "saat maaf sehingga taat tinggi"),
        ("maaaaf saaaat sehinggaaa", "maaf saat sehingga"),
        ("gaaaak", "tidak"),
        # leetspeak inside words, but a number stays a number
        ("c0bl0s pr4bowo g4nj4r 4nies", "coblos prabowo ganjar anies"),
        ("bagu5 m4nt4ppp", "bagus mantap"),
        ("tahun 2024 jam 10 ada 02", "tahun 2024 jam 10 ada 02"),
        ("Rp 1.000.000 dan 2,5 persen", "rp 1.000.000 dan 2,5 persen"),
        ("2periode 5tahun c0bl0s02 no2", "2 periode 5 tahun coblos 02 no 2"),
        ("covid19 b4 4jj1", "covid 19 sebelum allah"),
        # reduplication written with a 2, and with a hyphen
        ("hati2 anak2 di jalan", "hati hati anak anak di jalan"),
        ("kupu-kupu Bagus-Ratna", "kupu kupu bagus ratna"),
        # laughter
        ("wkwkwk awokawok hahaha xixixi", "haha haha haha haha"),
        # hashtags: case changes, digits, and the word list for lower case
        ("#AyoCoblos02", "ayo coblos 02"),
        ("#2019GantiPresiden", "2019 ganti presiden"),
        ("#ayocoblos #pilihbupatijujur", "ayo coblos pilih bupati jujur"),
        ("#MALANGMAJU #pilih_pemimpin_amanah", "malang maju pilih pemimpin amanah"),
        ("#YgMudaYgBerkarya", "yang muda yang berkarya"),
        # URLs and mentions become placeholders
        ("cek https://t.co/AbC123 dari @warga_fiktif.", f"cek {URL} dari {MENTION}"),
        ("www.contoh.go.id/berita?id=3", URL),
        # emoji stay tokens, without skin tone or variation selector
        ("mantap👍🏽👍 🇮🇩❤️", "mantap 👍 👍 🇮🇩 ❤"),
        ("guru 👩🏽‍🏫 hadir", "guru 👩\u200d🏫 hadir"),
        # apostrophes, accents and styled letters
        ("Jum'at bersama Ma'ruf", "jumat bersama maruf"),
        ("Café 𝐂𝐨𝐛𝐥𝐨𝐬 ＡＹＯ", "cafe coblos ayo"),
        ("", ""),
        ("   \n\t ", ""),
    ],
)
def test_it_normalises_social_text(text: str, expected: str) -> None:
    assert normalise(text).text == expected


def test_the_tokens_are_the_text_split_and_each_keeps_its_span() -> None:
    text = "Mantaaap bgt, #AyoCoblos02 gpp!"

    result = normalise(text)

    assert result.tokens == ("mantap", "banget", "ayo", "coblos", "02", "tidak", "apa", "apa")
    assert result.text == " ".join(result.tokens)
    spans = [text[slice(*result.token_span(i))] for i in range(len(result.tokens))]
    assert spans == ["Mantaaap", "bgt", "Ayo", "Coblos", "02", "gpp", "gpp", "gpp"]
    with pytest.raises(IndexError):
        result.token_span(len(result.tokens))


def test_the_result_is_frozen() -> None:
    result = normalise("ayo coblos 02")

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "lain"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ballots[0].number = 1  # type: ignore[misc]


def test_hashtags_mentions_and_urls_are_listed_with_their_spans() -> None:
    text = "Lihat @BagusRatna.Fiktif di https://www.instagram.com/bagusratna.fiktif/) #Ayo_Coblos"

    result = normalise(text)

    assert [(m.value, text[m.start : m.end]) for m in result.mentions] == [
        ("bagusratna.fiktif", "@BagusRatna.Fiktif")
    ]
    assert [u.value for u in result.urls] == ["https://www.instagram.com/bagusratna.fiktif/"]
    assert [(h.value, text[h.start : h.end], h.first, h.last) for h in result.hashtags] == [
        ("ayo_coblos", "#Ayo_Coblos", 4, 5)
    ]


@pytest.mark.parametrize(
    ("text", "number", "form", "surface"),
    [
        ("yuk nomor dua", 2, BallotForm.NOMOR, "nomor dua"),
        ("pilih no 2 ya", 2, BallotForm.NOMOR, "no 2"),
        ("pilih No. 02!", 2, BallotForm.NOMOR, "No. 02"),
        ("nmr 3 aja", 3, BallotForm.NOMOR, "nmr 3"),
        ("pokoknya 02", 2, BallotForm.PADDED, "02"),
        ("Paslon 2 paling jujur", 2, BallotForm.PASLON, "Paslon 2"),
        ("Paslon02 mantap", 2, BallotForm.PASLON, "Paslon02"),
        ("Ayo, Paslon Nomor Urut 02!!", 2, BallotForm.PASLON, "Paslon Nomor Urut 02"),
        ("paslon nomor urut dua", 2, BallotForm.PASLON, "paslon nomor urut dua"),
        ("nomor urut 1 pasti menang", 1, BallotForm.PASLON, "nomor urut 1"),
        ("Capres III untuk rakyat", 3, BallotForm.PASLON, "Capres III"),
        ("nomor urut II", 2, BallotForm.PASLON, "nomor urut II"),
        ("calon nomor 3 datang", 3, BallotForm.PASLON, "calon nomor 3"),
        ("c0bl0s 01 ya lur", 1, BallotForm.PASLON, "c0bl0s 01"),
        ("#Coblos01", 1, BallotForm.PASLON, "Coblos01"),
        ("Salam dua jari!", 2, BallotForm.SALAM, "Salam dua jari"),
        ("salam 3 jari semua", 3, BallotForm.SALAM, "salam 3 jari"),
        ("salam loro jari lur", 2, BallotForm.SALAM, "salam loro jari"),
        ("salam 02", 2, BallotForm.SALAM, "salam 02"),
        ("foto dua jari", 2, BallotForm.JARI, "dua jari"),
        ("satu jari saja", 1, BallotForm.JARI, "satu jari"),
        ("foto bareng ✌️", 2, BallotForm.EMOJI, "✌️"),
        ("foto bareng ✌🏻", 2, BallotForm.EMOJI, "✌🏻"),
        ("foto bareng✌🏿", 2, BallotForm.EMOJI, "✌🏿"),
        ("foto ☝️ bareng", 1, BallotForm.EMOJI, "☝️"),
        ("ingat 1️⃣", 1, BallotForm.EMOJI, "1️⃣"),
        ("ingat 2️⃣ ya", 2, BallotForm.EMOJI, "2️⃣"),
        ("paslon 3️⃣", 3, BallotForm.PASLON, "paslon 3️⃣"),
    ],
)
def test_it_finds_ballot_numbers_in_every_form(
    text: str, number: int, form: BallotForm, surface: str
) -> None:
    ballots = normalise(text).ballots

    assert [(b.number, b.form, b.surface) for b in ballots] == [(number, form, surface)]
    assert text[ballots[0].start : ballots[0].end] == surface
    assert ballots[0].explicit is (form in {BallotForm.PASLON, BallotForm.SALAM})


@pytest.mark.parametrize(
    "text",
    [
        "tahun 2024 kita berangkat",
        "sudah 2 periode menjabat",
        "jam 2 siang di balai desa",
        "dua orang datang, tiga pulang",
        "kamar nomor 201",
        "I love you",
        "ii",
        "lima jari tangan",  # more fingers than any ballot number a gesture shows
        "#2019GantiPresiden",
        "anak2 dua",
        "",
    ],
)
def test_numbers_that_are_not_ballot_numbers_are_not_listed(text: str) -> None:
    assert normalise(text).ballots == ()


def test_a_text_with_several_ballot_numbers_lists_each_in_order() -> None:
    text = "01 atau 02? salam 2 jari ✌️✌️"

    ballots = normalise(text).ballots

    assert [(b.number, b.form, b.surface) for b in ballots] == [
        (1, BallotForm.PADDED, "01"),
        (2, BallotForm.PADDED, "02"),
        (2, BallotForm.SALAM, "salam 2 jari"),
        (2, BallotForm.EMOJI, "✌️"),
        (2, BallotForm.EMOJI, "✌️"),
    ]


def test_extra_words_split_hashtags_at_names() -> None:
    plain = Normaliser()
    with_names = Normaliser(extra_words=["Sekar", "Aminudin"])

    assert plain.normalise("#dukungsekar").text == "dukung sekar"
    assert with_names.normalise("#aminudinsekar").text == "aminudin sekar"
    assert plain.normalise("#aminudinsekar").text != "aminudin sekar"


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\u200b\u200d\ufeff",
        "a\u0301\u0302\u0303" * 50,
        "#" * 100 + "@" * 100,
        "ꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ الحمد لله 中文",
        "x" * 5000,
        "#" + "ayocoblos" * 30,
        "\ud800 lone surrogate",
    ],
)
def test_it_never_raises(text: str) -> None:
    result = normalise(text)

    assert result.text == " ".join(result.tokens)


def test_the_slang_dictionary_is_large_and_consistent() -> None:
    table = slang()

    assert len(table) >= 600
    assert all(form == form.lower() and " " not in form for form in table)
    assert table["yg"] == ("yang",)
    assert table["gpp"] == ("tidak", "apa", "apa")
    # Ambiguous forms are left out on purpose (see the file's header).
    assert {"no", "loro", "dah", "kali", "mas", "pak"}.isdisjoint(table)


def test_the_word_list_holds_everyday_words() -> None:
    vocabulary = words()

    assert len(vocabulary) >= 1200
    assert {"saat", "maaf", "sehingga", "amin", "bagus", "coblos", "demokrat"} <= vocabulary


# --- the fast paths give what the plain ones give ----------------------------------------

# Words, numbers, tags, emoji and odd characters, apart by every kind of white space: the
# chunks' offsets are counted where they are one character apart and found otherwise.
_SAMPLES = [
    "Yg", "mantaaap", "c0bl0s02", "hati2", "#AyoCoblos02", "#ayocoblos", "@warga_fiktif.",
    "https://t.co/x1)", "www.contoh.id", "no.", "02", "paslon", "salam", "dua", "jari", "✌🏻",
    "2️⃣", "👩🏽‍🏫", "Café", "𝐂𝐨𝐛𝐥𝐨𝐬", "\ufdfa", "⑴", "!!", "-", "…", "x" * 50,
]  # fmt: skip
_PARTS = st.sampled_from(_SAMPLES) | st.text(min_size=1, max_size=6)
_SPACES = st.sampled_from([" ", "  ", "\t", "\n", " \u3000", "\u00a0", "\u2028", "\x1c"])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_PARTS, max_size=12))
    text = "".join(part + draw(_SPACES) for part in parts)
    return draw(st.sampled_from(["", " ", "\n "])) + text.rstrip(draw(st.sampled_from(["", " "])))


@hypothesis.settings(max_examples=300, deadline=None, database=None, derandomize=True)
@hypothesis.given(text=_texts())
def test_spans_counted_from_lengths_are_the_spans_found(text: str) -> None:
    result = Normaliser().normalise(text)
    pieces = result._pieces

    assert _layout(text, pieces) == _layout_found(text, pieces)
    offsets = [match.start() for match in re.finditer(r"\S+", text)]
    bounds = list(accumulate((len(piece.tokens) for piece in pieces), initial=0))
    expected = [
        (offsets[chunk] + start, offsets[chunk] + end)
        for chunk, piece in enumerate(pieces)
        for start, end in piece.spans
    ]
    assert [result.token_span(i) for i in range(len(result.tokens))] == expected
    assert [result.span(i, i) for i in range(len(result.tokens))] == expected
    assert [bisect_right(bounds, i) - 1 for i in range(len(result.tokens))] == [
        chunk for chunk, piece in enumerate(pieces) for _ in piece.tokens
    ]
    starts = [len(" ".join(result.tokens[:i])) + bool(i) for i in range(len(result.tokens))]
    assert result.token_starts() == starts
    assert [result.char_token(at) for at in starts] == list(range(len(result.tokens)))


def test_the_result_is_an_ordinary_dataclass() -> None:
    result = normalise("Paslon 02 #AyoCoblos")

    changed = dataclasses.replace(result, text="lain")

    assert [f.name for f in dataclasses.fields(result)][:7] == [
        "original", "text", "tokens", "ballots", "hashtags", "mentions", "urls"
    ]  # fmt: skip
    assert (changed.text, changed.tokens, changed.ballots) == (
        "lain",
        result.tokens,
        result.ballots,
    )
    assert changed.token_span(0) == result.token_span(0) == (0, 6)
    assert result == normalise("Paslon 02 #AyoCoblos")
    assert result != changed
    with pytest.raises(dataclasses.FrozenInstanceError):
        result._layout = None  # type: ignore[misc]
