"""``netra model evaluate``: measure a campaign model on a labelled set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.detection.classify import CampaignModel, ModelError, model_path
from netra.detection.corpus import TEST, CorpusError, read_set
from netra.detection.decisions import decided_examples
from netra.detection.training import CLASSES, Report, evaluate

DECISIONS = "decisions"
_FIGURES = (
    ("campaign_recall", _("recall kampanye")),
    ("false_positive_unrelated", _("positif palsu, teks tidak terkait")),
    ("false_positive_everyday", _("positif palsu, teks sehari-hari")),
    ("false_positive_political_neutral", _("positif palsu, teks politik netral")),
    ("stance_accuracy_campaign", _("akurasi sikap (contoh kampanye)")),
    ("stance_accuracy", _("akurasi sikap (semua contoh)")),
    ("target_accuracy_campaign", _("akurasi sasaran (contoh kampanye)")),
    ("target_accuracy", _("akurasi sasaran (semua contoh)")),
)


class Command(BaseCommand):
    help = _(
        "Ukur model kampanye pada set berlabel: presisi, recall dan F1 per kelas, akurasi "
        "sikap dan sasaran, matriks kebingungan; dengan --compare, apa yang berubah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--model", type=Path, help=_("berkas model (bawaan: model yang berjalan)")
        )
        parser.add_argument(
            "--set",
            default=str(TEST),
            help=_(
                "folder set berlabel (bawaan: korpus uji), atau 'decisions': keputusan "
                "petugas atas tanda"
            ),
        )
        parser.add_argument("--compare", type=Path, help=_("berkas model lain untuk dibandingkan"))
        parser.add_argument(
            "--misses", type=int, default=0, help=_("tampilkan sampai N contoh yang salah")
        )
        parser.add_argument("--json", action="store_true", help=_("keluarkan angka sebagai JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            labelled = (
                decided_examples()
                if options["set"] == DECISIONS
                else read_set(Path(options["set"]))
            )
            model = CampaignModel.read(options["model"] or model_path())
            other = CampaignModel.read(options["compare"]) if options["compare"] else None
        except (CorpusError, ModelError) as exc:
            raise CommandError(str(exc)) from None
        report = evaluate(model, labelled)
        before = evaluate(other, labelled) if other else None
        if options["json"]:
            data = {"model": model.version, **report.as_json()}
            if before is not None:
                data["compare"] = {"model": other.version if other else "", **before.as_json()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._print(report, before, options["misses"])

    def _print(self, report: Report, before: Report | None, misses: int) -> None:
        now, then = report.as_json(), before.as_json() if before else None
        self.stdout.write(
            _("Model %(version)s pada set %(set)s (%(count)d contoh)")
            % {"version": report.model_version, "set": report.name, "count": report.total}
        )
        if before is not None:
            self.stdout.write(
                _("dibandingkan dengan model %(version)s") % {"version": before.model_version}
            )
        self.stdout.write("")
        self.stdout.write(
            f"{_('kelas'):<20}{_('presisi'):>10}{_('recall'):>10}{'F1':>10}{_('jumlah'):>8}"
        )
        for label in CLASSES:
            row = now["classes"][label]
            line = (
                f"{label:<20}{row['precision']:>10.3f}{row['recall']:>10.3f}"
                f"{row['f1']:>10.3f}{row['support']:>8}"
            )
            if then is not None:
                line += f"   F1 {row['f1'] - then['classes'][label]['f1']:+.3f}"
            self.stdout.write(line)
        self.stdout.write("")
        for key, label in _FIGURES:
            line = f"{label:<42}{now[key]:>8.3f}"
            if then is not None:
                line += f"   {_('sebelumnya')} {then[key]:.3f} ({now[key] - then[key]:+.3f})"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(_("Matriks kebingungan (baris: label, kolom: tebakan)"))
        self.stdout.write(" " * 20 + "".join(f"{label[:12]:>14}" for label in CLASSES))
        for label in CLASSES:
            self.stdout.write(f"{label:<20}" + "".join(f"{n:>14}" for n in now["confusion"][label]))
        for example, verdict in report.misses[:misses]:
            self.stdout.write(
                f"{example.id}: {example.content_class}/{example.stance}/{example.target} → "
                f"{verdict.content_class}/{verdict.stance}/{verdict.target} ({verdict.score:.2f}) "
                f"{example.text[:120]}"
            )
