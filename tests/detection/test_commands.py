"""``netra model train``, ``netra model evaluate`` and ``netra detect text``."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from netra.detection.classify import SHIPPED_MODEL, CampaignModel
from netra.detection.corpus import TEST, TRAIN
from netra.elections.services import elections_import
from netra.geo.models import Region

ELECTION_FILE = Path(__file__).parent / "data" / "pilkada-detect.yaml"


def small_set(folder: Path, source: Path, count: int) -> Path:
    """The first ``count`` examples of a corpus set, as a set of their own."""
    folder.mkdir()
    (folder / "elections.yaml").write_bytes((source / "elections.yaml").read_bytes())
    lines = (source / "examples.jsonl").read_text(encoding="utf-8").splitlines()[:count]
    (folder / "examples.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_train_writes_a_versioned_model_with_its_metrics(tmp_path: Path, db: None) -> None:
    train = small_set(tmp_path / "kecil", TRAIN, 400)
    test = small_set(tmp_path / "uji", TEST, 120)
    out = io.StringIO()

    call_command(
        "model_train",
        "--train",
        str(train),
        "--test",
        str(test),
        "--out",
        str(tmp_path / "m.json.gz"),
        stdout=out,
    )

    model = CampaignModel.read(tmp_path / "m.json.gz")
    assert model.meta["examples"] == {"kecil": 400}
    assert model.meta["metrics"]["examples"] == 120
    assert len(model.meta["training_data_sha256"]) == 64
    assert model.version.endswith(model.meta["training_data_sha256"][:10])
    assert f"Model {model.version} dilatih dari 400 contoh" in out.getvalue()
    assert "NETRA_DETECTION_MODEL=" in out.getvalue()


def test_evaluate_prints_every_figure_and_what_changed(tmp_path: Path, db: None) -> None:
    train = small_set(tmp_path / "kecil", TRAIN, 400)
    call_command(
        "model_train",
        "--train",
        str(train),
        "--out",
        str(tmp_path / "m.json.gz"),
        stdout=io.StringIO(),
    )
    out = io.StringIO()

    call_command(
        "model_evaluate",
        "--model",
        str(tmp_path / "m.json.gz"),
        "--compare",
        str(SHIPPED_MODEL),
        "--misses",
        "3",
        stdout=out,
    )

    text = out.getvalue()
    for words in (
        "pada set test (800 contoh)",
        "recall kampanye",
        "positif palsu, teks tidak terkait",
        "akurasi sikap (contoh kampanye)",
        "akurasi sasaran (contoh kampanye)",
        "Matriks kebingungan",
        "sebelumnya",
    ):
        assert words in text
    assert text.count("test-") == 3
    assert [
        line.split()[0]
        for line in text.splitlines()
        if line.startswith(("campaign ", "political_neutral ", "unrelated "))
    ][:3] == ["campaign", "political_neutral", "unrelated"]


def test_evaluate_as_json_equals_the_shipped_metrics() -> None:
    out = io.StringIO()
    call_command("model_evaluate", "--json", stdout=out)

    data = json.loads(out.getvalue())
    meta = CampaignModel.read(SHIPPED_MODEL).meta
    assert data == {"model": meta["version"], **meta["metrics"]}


def test_evaluate_names_a_file_that_is_no_model(tmp_path: Path) -> None:
    bad = tmp_path / "x.json.gz"
    bad.write_bytes(gzip.compress(b"[]"))

    with pytest.raises(CommandError, match="bukan berkas model Netra"):
        call_command("model_evaluate", "--model", str(bad), stdout=io.StringIO())


@pytest.fixture
def election(regions: dict[str, Region]) -> str:
    elections_import(path=ELECTION_FILE)
    return "pilkada-2024-kab-malang-deteksi"


def detect(monkeypatch: pytest.MonkeyPatch, election: str, data: bytes) -> list[dict[str, Any]]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    out = io.StringIO()
    call_command("detect_text", "--election", election, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_detect_text_answers_each_line_in_order(
    monkeypatch: pytest.MonkeyPatch, election: str
) -> None:
    lines = [
        {"id": "a", "text": "pokoknya 02 🔥🔥 sampai menang"},
        {"id": 7, "text": "Antrean nomor 2 di puskesmas lama bgt 😩"},
        {"id": "c", "text": "Ayo coblos #BagusRatna, Mas Bagus pasti menang!"},
    ]
    data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()

    answers = detect(monkeypatch, election, data)

    assert [a["id"] for a in answers] == ["a", 7, "c"]
    assert [(a["campaign"], a["class"], a["stance"], a["target"]) for a in answers] == [
        (True, "campaign", "support", 2),
        (False, "unrelated", "neutral", None),
        (True, "campaign", "support", 1),
    ]
    assert answers[0]["target_name"] == "Aminudin Hakim"
    assert answers[1]["target_name"] is None
    assert all(0 <= a["score"] <= 1 and a["reasons"] for a in answers)
    assert set(answers[0]) == {
        "id",
        "campaign",
        "class",
        "stance",
        "target",
        "target_name",
        "score",
        "reasons",
    }


def test_detect_text_answers_a_bad_line_with_its_number(
    monkeypatch: pytest.MonkeyPatch, election: str
) -> None:
    data = b"".join(
        [
            b'{"id": 1, "text": "coblos nomor 3!"}\n',
            b"{not json\n",
            b"\n",
            b'["a list"]\n',
            b'{"id": 4, "text": 12}\n',
            b'{"id": 5, "text": "\\u0000 nol \\ud800"}\n',
            b'{"id": 6, "text": "' + b"a" * (1024 * 1024 + 10) + b'"}\n',
            b'{"id": 7, "text": "\xff\xfe bukan utf-8"}\n',
            b'{"id": 8, "text": "Selamat pagi"}',
        ]
    )

    answers = detect(monkeypatch, election, data)

    assert [a.get("id") for a in answers] == [1, None, None, 4, 5, None, 7, 8]
    assert [a.get("line") for a in answers] == [None, 2, 4, 5, None, 7, None, None]
    assert answers[1]["error"].startswith("baris 2 bukan JSON")
    assert answers[2]["error"] == "baris 4 harus berupa objek JSON"
    assert answers[3]["error"] == "baris 5: kunci text harus berupa teks"
    assert answers[5]["error"] == "baris 7 lebih dari 1 MiB"
    assert answers[0]["target"] == 3
    assert answers[4]["class"] in {"unrelated", "political_neutral", "campaign"}
    # Every answer can be written as UTF-8, a lone surrogate included.
    assert "\n".join(json.dumps(a, ensure_ascii=False) for a in answers).encode()


def test_detect_text_names_an_unknown_election(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    with pytest.raises(CommandError, match="Pemilihan tidak-ada tidak ada"):
        detect(monkeypatch, "tidak-ada", b"")
