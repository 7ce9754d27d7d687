"""``netra detect text --election SLUG``: judge JSON-Lines texts from stdin, one answer a line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.detection.classify import Classifier, ModelError, running_model
from netra.detection.lexicon import lexicon_for
from netra.elections.models import Election

# Lines judged together (the models work on batches); the answers keep the input order.
BATCH = 2_000
# A line longer than this is answered with an error, not read.
LINE_LIMIT = 1024 * 1024


def _clean(value: str) -> str:
    """``value`` without NUL and with lone surrogates as U+FFFD (they cannot be written)."""
    return value.replace("\x00", "").encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _read(line: str, number: int) -> tuple[Any, str] | dict[str, Any]:
    """The id and text of one input line, or the error object answering it."""
    try:
        row = json.loads(line)
    except ValueError as exc:
        return {
            "line": number,
            "error": _("baris %(line)d bukan JSON: %(error)s") % {"line": number, "error": exc},
        }
    if not isinstance(row, dict):
        return {
            "line": number,
            "error": _("baris %(line)d harus berupa objek JSON") % {"line": number},
        }
    text = row.get("text")
    if not isinstance(text, str):
        return {
            "line": number,
            "id": row.get("id"),
            "error": _("baris %(line)d: kunci text harus berupa teks") % {"line": number},
        }
    ident = row.get("id")
    return (_clean(ident) if isinstance(ident, str) else ident), _clean(text)


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str | None]]:
    for number, raw in enumerate(iter(lambda: stream.readline(LINE_LIMIT + 1), b""), start=1):
        if len(raw) > LINE_LIMIT and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(LINE_LIMIT + 1)
            yield number, None
            continue
        yield number, raw.decode("utf-8", errors="replace")


class Command(BaseCommand):
    help = _(
        'Nilai teks dalam konteks satu pemilihan: baca baris JSON {"id", "text"} dari '
        "stdin, tulis satu baris JSON per masukan, berurutan, ke stdout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--election", required=True, help=_("kode (slug) pemilihan"))

    def handle(self, *args: Any, **options: Any) -> None:
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(_("Pemilihan %(slug)s tidak ada.") % {"slug": options["election"]})
        try:
            classifier = Classifier(lexicon_for(election), running_model())
        except ModelError as exc:
            raise CommandError(str(exc)) from None
        pending: list[tuple[Any, str] | dict[str, Any]] = []
        for number, line in _lines(sys.stdin.buffer):
            if line is None:
                pending.append(
                    {
                        "line": number,
                        "error": _("baris %(line)d lebih dari 1 MiB") % {"line": number},
                    }
                )
            elif line.strip():
                pending.append(_read(line, number))
            if len(pending) >= BATCH:
                self._answer(classifier, pending)
                pending = []
        self._answer(classifier, pending)

    def _answer(
        self, classifier: Classifier, pending: list[tuple[Any, str] | dict[str, Any]]
    ) -> None:
        texts = [item[1] for item in pending if isinstance(item, tuple)]
        verdicts = iter(classifier.verdicts(texts))
        for item in pending:
            if isinstance(item, dict):
                answer = item
            else:
                verdict = next(verdicts)
                answer = {
                    "id": item[0],
                    "campaign": verdict.campaign,
                    "class": verdict.content_class.value,
                    "stance": verdict.stance.value,
                    "target": verdict.target,
                    "target_name": verdict.target_name or None,
                    "score": round(verdict.score, 4),
                    "reasons": list(verdict.reasons),
                }
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
        self.stdout.flush()
