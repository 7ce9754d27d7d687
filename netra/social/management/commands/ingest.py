"""``netra ingest PATH… [--format F] [--election SLUG] [--json]``: load social media files.

Each file is detected (or read as ``--format``), loaded in batches and summarised:
``read = new + updated + duplicate + quarantined``. A file that cannot be loaded at all is
reported and the others go on; the command then ends with an error status. A load that
was killed is taken up again by running the same command.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

from netra.elections.models import Election
from netra.social.ingest import (
    FileSummary,
    IngestError,
    NothingLoaded,
    ingest_file,
    ingest_paths,
)
from netra.social.sources.records import ParseOptions
from netra.social.sources.registry import expected_formats
from netra.social.store import Tally
from netra.social.zipped import ingest_zip, is_zip_file, not_read_lines
from netra.staff.commands import actor_for
from netra.staff.models import User

logger = logging.getLogger(__name__)

_BAR_WIDTH = 30


def _unexpected(path: Path, error: Exception) -> IngestError:
    return IngestError(
        _(
            "Berkas '%(file)s' gagal dimuat karena galat Netra sendiri (%(error)s); berkas "
            "lain tetap dimuat. Rinciannya ada di log; laporkan ke pengelola."
        )
        % {"file": path.name, "error": type(error).__name__}
    )


_REDRAW_SECONDS = 0.2


class ProgressBar:
    """A one-line progress bar on a terminal: share of bytes read, records, rate."""

    def __init__(self, stream: OutputWrapper, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.drawn = 0.0

    def __call__(self, done: int, total: int, tally: Tally) -> None:
        now = time.monotonic()
        if done < total and now - self.drawn < _REDRAW_SECONDS:
            return
        self.drawn = now
        share = done / total if total else 1.0
        filled = int(share * _BAR_WIDTH)
        read = tally.total("read")
        rate = read / max(now - self.started, 1e-6)
        self.stream.write(
            "\r"
            + _("%(label)s [%(bar)s] %(percent)3d%% · %(read)s rekaman · %(rate)s/detik")
            % {
                "label": self.label,
                "bar": "#" * filled + "." * (_BAR_WIDTH - filled),
                "percent": int(share * 100),
                "read": f"{read:,}".replace(",", "."),
                "rate": f"{int(rate):,}".replace(",", "."),
            },
            ending="",
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("")
        self.stream.flush()


@dataclass
class _Report:
    """What the files of one command came to."""

    summaries: list[FileSummary] = field(default_factory=list)
    unusable: list[FileSummary] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    archives: list[dict[str, Any]] = field(default_factory=list)


class Command(BaseCommand):
    help = _(
        "Muat berkas aktivitas media sosial (X, YouTube, TikTok, Meta, Zeeschuimer, CSV/JSONL "
        "Netra). Format dikenali otomatis; aman diulang dan dilanjutkan bila terputus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--format",
            dest="format_name",
            metavar="FORMAT",
            # argparse reads "%" in help as its own placeholders.
            help=(
                _("format berkas bila tidak dikenali otomatis, salah satu dari: %(formats)s")
                % {"formats": expected_formats()}
            ).replace("%", "%%"),
        )
        parser.add_argument("--election", metavar="SLUG")
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("ringkasan sebagai satu objek JSON di stdout"),
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=_("tampilkan bilah kemajuan (bawaan: bila stderr adalah terminal)"),
        )
        parser.add_argument(
            "--actor", metavar="USERNAME", help=_("pengguna yang dicatat sebagai pelaku")
        )
        parser.add_argument(
            "--owner-handle",
            default="",
            help=_("pemilik arsip/ekspor (Twitter archive, Facebook/Instagram DYI, TikTok)"),
        )
        parser.add_argument("--owner-id", default="", help=_("ID platform pemilik arsip"))
        parser.add_argument(
            "--request-url",
            default="",
            help=_("URL API yang menghasilkan halaman ini (bila tidak tertulis di berkas)"),
        )
        parser.add_argument(
            "--reread",
            action="store_true",
            help=_(
                "baca ulang berkas yang sudah pernah dimuat utuh (bawaan: dihitung duplikat "
                "tanpa dibaca)"
            ),
        )
        parser.add_argument(
            "--collected-at",
            metavar="ISO8601",
            help=_(
                "kapan berkas diambil, bila berkas tidak menyebutnya (mis. 2024-11-01T08:00+07:00)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        election = self._election(options["election"])
        actor = actor_for(options["actor"])
        show_progress = options["progress"]
        if show_progress is None:
            show_progress = sys.stderr.isatty()
        parse_options = ParseOptions(
            collected_at=self._moment(options["collected_at"]),
            request_url=options["request_url"],
            owner_id=options["owner_id"],
            owner_handle=options["owner_handle"].removeprefix("@"),
        )
        report = _Report()
        for path in ingest_paths(options["paths"]):
            if is_zip_file(path):
                self._archive(path, report, options, election, actor, parse_options, show_progress)
                continue
            bar = ProgressBar(self.stderr, path.name) if show_progress else None
            try:
                summary = ingest_file(
                    path,
                    format_name=options["format_name"],
                    election=election,
                    actor=actor,
                    options=parse_options,
                    progress=bar,
                    reread=options["reread"],
                )
            except IngestError as error:
                self._failed(report, str(path), error, options["json"])
                continue
            except Exception as error:
                # A fault of Netra's own, not of the file: its traceback goes to the log
                # for the maintainers, and the files after it are still loaded.
                logger.exception("ingest of %s failed", path)
                self._failed(report, str(path), _unexpected(path, error), options["json"])
                continue
            finally:
                if bar is not None:
                    bar.close()
            report.summaries.append(summary)
            if not options["json"]:
                self.stdout.write(self._line(summary))
        total = Tally()
        for summary in (*report.summaries, *report.unusable):
            total.merge(summary.tally)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "files": [summary.as_dict() for summary in report.summaries],
                        "archives": report.archives,
                        "failed": report.failures,
                        "total": total.totals(),
                    },
                    ensure_ascii=False,
                )
            )
        elif len(report.summaries) + len(report.unusable) > 1:
            self.stdout.write(self._counts(_("Jumlah"), total.totals()))
        if report.failures:
            raise CommandError(
                _("%(count)d berkas tidak dapat dimuat.") % {"count": len(report.failures)}
            )

    def _failed(self, report: _Report, path: str, error: IngestError, as_json: bool) -> None:
        """Note a file that could not be loaded; one read with nothing usable is counted."""
        failure: dict[str, Any] = {"path": path, "error": str(error)}
        if isinstance(error, NothingLoaded):
            # Read to its end and quarantined, yet nothing usable: a failure whose counts
            # still go into the total (its records are in the quarantine).
            report.unusable.append(error.summary)
            failure["summary"] = error.summary.as_dict()
            if not as_json:
                self.stdout.write(self._line(error.summary))
        report.failures.append(failure)
        if not as_json:
            self.stderr.write(str(error))

    def _archive(
        self,
        path: Path,
        report: _Report,
        options: dict[str, Any],
        election: Election | None,
        actor: User | None,
        parse_options: ParseOptions,
        show_progress: bool,
    ) -> None:
        """Load a ZIP export's members, each as its own file (``netra.social.zipped``)."""
        as_json = options["json"]
        try:
            archive = ingest_zip(
                path,
                format_name=options["format_name"],
                election=election,
                actor=actor,
                options=parse_options,
                progress=(lambda name: ProgressBar(self.stderr, name)) if show_progress else None,
            )
        except IngestError as error:
            self._failed(report, str(path), error, as_json)
            return
        report.archives.append(archive.as_dict())
        for summary in archive.loaded:
            report.summaries.append(summary)
            if not as_json:
                self.stdout.write(self._line(summary))
        for failure in archive.failed:
            if failure.summary is not None:
                self._failed(
                    report, failure.name, NothingLoaded(failure.error, failure.summary), as_json
                )
            else:
                self._failed(report, failure.name, IngestError(failure.error), as_json)
        if archive.skipped and not as_json:
            self.stdout.write(
                _("%(file)s: %(count)d berkas tidak dibaca:")
                % {"file": path, "count": len(archive.skipped)}
            )
            for line in not_read_lines(archive.skipped):
                self.stdout.write(f"  {line}")

    def _line(self, summary: FileSummary) -> str:
        line = self._counts(f"{summary.path} ({summary.format})", summary.tally.totals())
        if summary.resumed_from:
            line += " " + _("Dilanjutkan dari rekaman ke-%(position)d.") % {
                "position": summary.resumed_from
            }
        return line

    @staticmethod
    def _counts(label: str, totals: dict[str, int]) -> str:
        return _(
            "%(label)s: %(read)d dibaca = %(new)d baru + %(updated)d diperbarui + "
            "%(duplicate)d duplikat + %(quarantined)d dikarantina."
        ) % {"label": label, **totals}

    @staticmethod
    def _moment(value: str | None) -> datetime | None:
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise CommandError(
                _(
                    "--collected-at '%s' harus waktu ISO 8601 dengan zona, "
                    "mis. 2024-11-01T08:00+07:00"
                )
                % value
            )
        return moment

    @staticmethod
    def _election(slug: str | None) -> Election | None:
        if not slug:
            return None
        election = Election.objects.filter(slug=slug).first()
        if election is None:
            raise CommandError(_("Pemilihan tidak ditemukan: %s") % slug)
        return election
