"""``netra model train``: train the campaign model and write a versioned model file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.detection.corpus import TEST, TRAIN, CorpusError, read_set
from netra.detection.decisions import decided_examples
from netra.detection.training import evaluate, train


class Command(BaseCommand):
    help = _(
        "Latih model kampanye dari korpus latih proyek dan tulis berkas model berversi "
        "beserta metriknya pada korpus uji (docs/detection.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            help=_("berkas model yang ditulis (bawaan: var/models/campaign-VERSI.json.gz)"),
        )
        parser.add_argument(
            "--train",
            type=Path,
            action="append",
            help=_(
                "folder set berlabel untuk dilatih (bawaan: korpus latih proyek); boleh diulang"
            ),
        )
        parser.add_argument(
            "--without-decisions",
            action="store_true",
            help=_("tanpa contoh dari keputusan petugas atas tanda (bawaan: ikut dilatih)"),
        )
        parser.add_argument(
            "--test",
            type=Path,
            default=TEST,
            help=_("folder set berlabel untuk mengukur (bawaan: korpus uji proyek)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sets = [read_set(folder) for folder in options["train"] or [TRAIN]]
            test = read_set(options["test"])
        except CorpusError as exc:
            raise CommandError(str(exc)) from None
        if not options["without_decisions"]:
            decisions = decided_examples()
            if decisions.examples:
                sets.append(decisions)
                self.stdout.write(
                    _("%(count)d contoh dari keputusan petugas ikut dilatih.")
                    % {"count": len(decisions.examples)}
                )
        model = train(sets)
        report = evaluate(model, test)
        model.meta["metrics"] = report.as_json()
        out = (
            options["out"]
            or Path(settings.VAR_DIR) / "models" / f"campaign-{model.version}.json.gz"
        )
        sha256 = model.write(out)
        metrics = model.meta["metrics"]
        self.stdout.write(
            _(
                "Model %(version)s dilatih dari %(examples)s contoh (data SHA-256 %(data)s). "
                "Pada set %(test)s: recall kampanye %(recall).3f, positif palsu pada teks "
                "tidak terkait %(fp).3f, akurasi sikap %(stance).3f, akurasi sasaran %(target).3f."
            )
            % {
                "version": model.version,
                "examples": sum(model.meta["examples"].values()),
                "data": model.meta["training_data_sha256"][:16],
                "test": test.name,
                "recall": metrics["campaign_recall"],
                "fp": metrics["false_positive_unrelated"],
                "stance": metrics["stance_accuracy_campaign"],
                "target": metrics["target_accuracy_campaign"],
            }
        )
        self.stdout.write(
            _(
                "Ditulis ke %(path)s (SHA-256 %(sha256)s). "
                "Pakai dengan NETRA_DETECTION_MODEL=%(path)s."
            )
            % {"path": out, "sha256": sha256}
        )
