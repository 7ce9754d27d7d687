"""Supervisors' decisions on flags become labelled examples that training includes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from netra.detection.classify import CampaignModel
from netra.detection.corpus import TRAIN
from netra.detection.decisions import decided_examples
from netra.detection.models import ActKind, Flag
from netra.detection.run import detection_run
from netra.detection.services import flag_confirm, flag_dismiss
from netra.detection.verdict import ContentClass, Stance
from netra.staff.models import User
from tests.detection.conftest import CAMPAIGN_TEXT, World
from tests.detection.test_commands import small_set


@pytest.fixture
def decided(scene: World, personas: dict[str, User | None]) -> World:
    """The like confirmed; the teacher's own post dismissed as an everyday text."""
    detection_run(election=scene.election)
    analyst = personas["malang_analyst"]
    assert analyst is not None
    flags = {flag.act: flag for flag in Flag.objects.all()}
    flag_confirm(flag=flags[ActKind.LIKE], actor=analyst)
    flag_dismiss(
        flag=flags[ActKind.POST],
        actor=analyst,
        reason="Ini candaan keluarga, bukan dukungan.",
        content=ContentClass.UNRELATED,
    )
    return scene


def test_decisions_are_examples_with_their_labels(decided: World) -> None:
    labelled = decided_examples()

    by_text = {example.text: example for example in labelled.examples}
    liked = by_text[CAMPAIGN_TEXT]
    assert (liked.content_class, liked.stance, liked.target) == (
        ContentClass.CAMPAIGN,
        Stance.SUPPORT,
        1,
    )
    own = by_text["pokoknya 02 🔥🔥 sampai menang, Cak Amin!"]
    assert (own.content_class, own.stance, own.target) == (
        ContentClass.UNRELATED,
        Stance.NEUTRAL,
        None,
    )
    assert {e.election for e in labelled.examples} == {decided.election.slug}
    assert set(labelled.lexicons) == {decided.election.slug}
    assert labelled.name == "decisions"


def test_a_dismissal_for_another_reason_teaches_nothing(
    scene: World, personas: dict[str, User | None]
) -> None:
    detection_run(election=scene.election)
    analyst = personas["malang_analyst"]
    assert analyst is not None
    for flag in Flag.objects.all():
        flag_dismiss(flag=flag, actor=analyst, reason="Akun ini bukan milik subjek.")

    assert decided_examples().examples == ()


def test_a_dismissal_cannot_call_the_content_campaign(
    scene: World, personas: dict[str, User | None]
) -> None:
    detection_run(election=scene.election)
    analyst = personas["malang_analyst"]
    assert analyst is not None
    flag = Flag.objects.first()
    assert flag is not None

    with pytest.raises(ValidationError) as refused:
        flag_dismiss(flag=flag, actor=analyst, reason="x", content=ContentClass.CAMPAIGN)
    assert "content_label" in refused.value.message_dict


def test_training_includes_the_decisions_and_evaluate_measures_them(
    decided: World, tmp_path: Path
) -> None:
    train = small_set(tmp_path / "train", TRAIN, 400)
    out = io.StringIO()

    call_command(
        "model_train", "--train", str(train), "--out", str(tmp_path / "m.json.gz"), stdout=out
    )

    assert "2 contoh dari keputusan petugas ikut dilatih." in out.getvalue()
    model = CampaignModel.read(tmp_path / "m.json.gz")
    assert model.meta["examples"] == {"train": 400, "decisions": 2}

    call_command(
        "model_train",
        "--train",
        str(train),
        "--without-decisions",
        "--out",
        str(tmp_path / "tanpa.json.gz"),
        stdout=io.StringIO(),
    )
    without = CampaignModel.read(tmp_path / "tanpa.json.gz")
    assert without.meta["examples"] == {"train": 400}
    assert without.meta["training_data_sha256"] != model.meta["training_data_sha256"]

    out = io.StringIO()
    call_command(
        "model_evaluate",
        "--set",
        "decisions",
        "--model",
        str(tmp_path / "m.json.gz"),
        "--compare",
        str(tmp_path / "tanpa.json.gz"),
        stdout=out,
    )
    assert "pada set decisions (2 contoh)" in out.getvalue()
    assert "sebelumnya" in out.getvalue()
