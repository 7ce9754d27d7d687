"""The campaign classifier: its features equal scikit-learn's, the shipped model is the one
the corpus trains and its metrics are what it measures, and verdicts on an election it
never saw (class, stance, target, reasons)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from netra.detection.classify import (
    SHIPPED_MODEL,
    CampaignModel,
    Classifier,
    ModelError,
    mentions,
    running_model,
    shown,
    view,
)
from netra.detection.corpus import TEST, TRAIN, CorpusError, read_set
from netra.detection.lexicon import CandidateSource, Lexicon
from netra.detection.textmodel import TextModel, char_grams
from netra.detection.training import evaluate, training_digest, training_rows
from netra.detection.verdict import ContentClass, Stance

# An election of no corpus set: the model must work for candidates it never saw.
UNSEEN = Lexicon(
    [
        CandidateSource(
            11,
            1,
            "Dr. H. Bagus Santoso Wiryawan, S.H.",
            "Ratna Dewi Kartikasari",
            "Koalisi Malang Maju",
            aliases=("Mas Bagus", "BSW"),
            hashtags=("BagusRatna",),
        ),
        CandidateSource(
            12, 2, "Aminudin Hakim", "Sekar Ayu Pramesti", aliases=("Amin", "Cak Amin")
        ),
        CandidateSource(13, 3, "Sulastri Wulandari", "Agus Prasetyo Nugroho"),
    ]
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(UNSEEN, running_model())


def test_fast_scores_equal_the_training_features() -> None:
    rows = training_rows(read_set(TRAIN))[:500]
    texts = [view(row.scan, mentions(row.scan, row.candidates)) for row in rows]
    model = TextModel.fit(texts[:400], [row.content_class for row in rows[:400]], c=10.0)
    seen, unseen = texts[:400], [*texts[400:], "", "kata_baru_sama_sekali"]

    for batch in (seen, unseen, unseen):  # the last from the token cache
        expected = np.asarray(model.matrix(batch) @ model.coef.T) + model.intercept
        assert np.abs(model.scores(batch)[0] - expected).max() < 1e-9


def test_character_grams_are_scikit_learns() -> None:
    analyse = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for token in ["a", "ab", "abc", "abcd", "mantap", "[calon]", "🔥"]:
        assert char_grams(token) == analyse(token)


def test_the_shipped_model_is_trained_on_the_corpus_as_it_is_now() -> None:
    model = CampaignModel.read(SHIPPED_MODEL)
    train = read_set(TRAIN)

    assert model.meta["training_data_sha256"] == training_digest([train])
    assert model.meta["examples"] == {"train": len(train.examples)}


def test_the_shipped_models_metrics_are_what_it_measures_on_the_test_set() -> None:
    model = CampaignModel.read(SHIPPED_MODEL)
    report = evaluate(model, read_set(TEST))

    assert model.meta["metrics"] == report.as_json()
    assert report.total == 800
    # The train and test sets share no election: every test verdict is on unseen candidates.
    assert not set(read_set(TEST).lexicons) & set(read_set(TRAIN).lexicons)


@pytest.mark.parametrize(
    ("text", "stance", "target"),
    [
        ("pokoknya 02 🔥🔥 sampai menang", Stance.SUPPORT, 2),
        ("Ayo coblos nomor 1, Mas Bagus pasti bawa Malang maju!", Stance.SUPPORT, 1),
        ("Cak Amin janjine kosong, ojo dipilih maneh", Stance.OPPOSE, 2),
        ("siji wae, ra usah mikir", Stance.SUPPORT, 1),
        ("golput aja lah, semua sama saja", Stance.OPPOSE, None),
    ],
)
def test_campaign_texts_of_an_unseen_election(
    classifier: Classifier, text: str, stance: Stance, target: int | None
) -> None:
    verdict = classifier.verdicts([text])[0]

    assert (verdict.content_class, verdict.stance, verdict.target) == (
        ContentClass.CAMPAIGN,
        stance,
        target,
    )
    assert verdict.campaign
    assert verdict.score > 0.5
    assert verdict.target_id == ({1: 11, 2: 12}.get(target) if target else None)


@pytest.mark.parametrize(
    ("text", "content_class"),
    [
        (
            "KPU Kabupaten Malang menetapkan nomor urut pasangan calon bupati, Bagus Santoso "
            "nomor 1 dan Aminudin Hakim nomor 2",
            ContentClass.POLITICAL_NEUTRAL,
        ),
        (
            "ASN wajib netral dalam Pilkada 2024, jangan ikut kampanye di media sosial",
            ContentClass.POLITICAL_NEUTRAL,
        ),
        ("Antrean nomor 2 di puskesmas lama bgt 😩", ContentClass.UNRELATED),
        (
            "Selamat pagi, hari ini rapat evaluasi kinerja di kantor kecamatan",
            ContentClass.UNRELATED,
        ),
    ],
)
def test_news_notices_and_everyday_texts_are_left_alone(
    classifier: Classifier, text: str, content_class: ContentClass
) -> None:
    verdict = classifier.verdicts([text])[0]

    assert (verdict.content_class, verdict.stance, verdict.target) == (
        content_class,
        Stance.NEUTRAL,
        None,
    )
    assert verdict.score < 0.5


def test_a_verdict_explains_itself(classifier: Classifier) -> None:
    text = "pokoknya 02 🔥🔥 sampai menang"
    verdict = classifier.verdicts([text])[0]

    assert verdict.reasons[0] == "Menyebut calon nomor 2 lewat “02” (nomor urut)."
    assert verdict.reasons[1].startswith("Dinilai kampanye dengan peluang 1,00 (model ")
    assert verdict.reasons[-1] == "Sikap: mendukung calon nomor 2."
    assert verdict.model_version == running_model().version
    assert [(t.candidate_number, t.surface, text[t.start : t.end]) for t in verdict.terms] == [
        (2, "02", "02")
    ]
    assert "menang" in [name for name, _weight in verdict.features]
    assert verdict.as_json()["terms"][0]["surface"] == "02"


def test_a_weak_term_is_set_aside_in_an_everyday_text(classifier: Classifier) -> None:
    verdict = classifier.verdicts(["Antrean nomor 2 di puskesmas lama bgt 😩"])[0]

    assert verdict.reasons[0] == (
        "“nomor 2” juga kata sehari-hari; tidak dihitung sebagai calon nomor 2 tanpa konteks "
        "kampanye."
    )


def test_placeholders_are_shown_in_words() -> None:
    assert shown("calon_number") == "[calon: nomor urut]"
    assert shown("sasaran_sisih_alias pasti") == "[calon: alias atau julukan (tanpa konteks)] pasti"
    assert shown("calon bupati") == "calon bupati"
    assert shown("f_satu_calon") == ""


def test_verdicts_keep_the_order_of_the_texts(classifier: Classifier) -> None:
    texts = ["pokoknya 02 🔥", "Selamat pagi semua", "coblos nomor 3!"] * 50
    verdicts = classifier.verdicts(texts)

    assert [v.target for v in verdicts[:3]] == [2, None, 3]
    assert [v.target for v in verdicts] == [v.target for v in verdicts[:3]] * 50
    assert classifier.verdicts([]) == []


def test_a_written_model_reads_back_the_same(tmp_path: Path, classifier: Classifier) -> None:
    model = running_model()
    path = tmp_path / "m.json.gz"
    model.write(path)
    again = Classifier(UNSEEN, CampaignModel.read(path))
    texts = ["pokoknya 02 🔥", "Selamat pagi semua", "Cak Amin ojo dipilih"]

    assert [v.score for v in again.verdicts(texts)] == pytest.approx(
        [v.score for v in classifier.verdicts(texts)], abs=1e-9
    )
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip", "bukan berkas model Netra"),
        (gzip.compress(b"{]", mtime=0), "bukan berkas model Netra"),
        (gzip.compress(json.dumps({"meta": {"format": 99}}).encode(), mtime=0), "format model 99"),
        (
            gzip.compress(json.dumps({"meta": {"format": 1}}).encode(), mtime=0),
            "bukan berkas model Netra",
        ),
    ],
    ids=["not-gzip", "not-json", "unknown-format", "incomplete"],
)
def test_a_bad_model_file_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(content)

    with pytest.raises(ModelError, match=message) as caught:
        CampaignModel.read(path)
    assert str(path) in str(caught.value)


def test_a_bad_corpus_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "elections.yaml").write_bytes((TRAIN / "elections.yaml").read_bytes())
    good = (TRAIN / "examples.jsonl").read_text(encoding="utf-8").splitlines()[0]
    wrong = json.loads(good) | {"stance": "neutral"}
    (tmp_path / "examples.jsonl").write_text(
        "\n".join([good, json.dumps(wrong)]) + "\n", encoding="utf-8"
    )

    with pytest.raises(CorpusError, match=r"examples.jsonl:2: hanya contoh kampanye"):
        read_set(tmp_path)


def test_probabilities_sum_to_one(classifier: Classifier) -> None:
    p = running_model().content.proba(["a b c", "pilih nomor 2", ""])

    assert np.allclose(p.sum(axis=1), 1.0)
