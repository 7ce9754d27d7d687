"""Re-running a quarantine closes only the records that the corrected file holds.

The rule (``netra.social.quarantine``, docs/ingest-format.md): a quarantined record is
closed when the corrected file holds a record read without fault that carries the same
platform id in the same field (JSON key or table column). Files are written in Netra's
own formats (docs/ingest-format.md: ``netra-jsonl``, ``netra-csv``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netra.core.models import Event
from netra.social.models import IngestRun, QuarantinedRecord, Source
from netra.social.services import source_upload_ingest
from netra.staff.models import User
from tests.monitor.test_views import (
    BROKEN,
    SocialData,
    html_of,
    jsonl,
)

OTHER = "1800000000000000077"


def _rerun(client: Client, source: Source, name: str, content: bytes) -> int:
    response = client.post(
        f"/pantau/karantina/{source.pk}/ulang/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()
    return IngestRun.objects.get(source__name=name).pk


def test_an_unrelated_file_closes_nothing(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    unrelated = jsonl(
        tmp_path / "lain.jsonl",
        [
            {
                "record": "item",
                "platform": "x",
                "id": OTHER,
                "author_handle": "warga_lain",
                "text": "Berkas lain sama sekali",
                "created_at": "2024-10-03T10:00:00+07:00",
            }
        ],
    )
    client = client_for("malang_analyst")
    run = _rerun(client, data.malang_source, "lain.jsonl", unrelated.read_bytes())
    record = QuarantinedRecord.objects.get(source=data.malang_source)
    assert record.resolved_by is None
    assert not Event.objects.filter(kind="social.quarantine_resolved").exists()
    html = html_of(client, f"/pantau/karantina/?source={data.malang_source.pk}")
    assert (
        f"0 rekaman karantina diselesaikan oleh proses impor {run} (0 rekaman baru dikarantina)."
        in html
    )
    assert (
        "1 rekaman tetap terbuka: berkas perbaikan tidak memuat rekaman yang sama "
        "(ID platform yang sama)." in html
    )
    assert "1 rekaman belum diselesaikan" in html


def test_a_file_naming_the_id_in_another_field_closes_nothing(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    # A reply to the broken post names its id, as parent_id: it is not that post.
    reply = jsonl(
        tmp_path / "balasan.jsonl",
        [
            {
                "record": "item",
                "platform": "x",
                "id": OTHER,
                "kind": "reply",
                "parent_id": BROKEN,
                "author_handle": "warga_lain",
                "text": "Balasan",
                "created_at": "2024-10-03T11:00:00+07:00",
            }
        ],
    )
    _rerun(client_for("malang_analyst"), data.malang_source, "balasan.jsonl", reply.read_bytes())
    assert QuarantinedRecord.objects.get(source=data.malang_source).resolved_by is None


def test_a_file_fixing_one_of_two_records_closes_that_one_only(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    def item(platform_id: str, text: str) -> dict[str, str]:
        return {
            "record": "item",
            "platform": "x",
            "id": platform_id,
            "author_handle": "warga_fiktif_12",
            "text": text,
            "created_at": "2024-10-03T10:00:00+07:00",
        }

    broken = jsonl(
        tmp_path / "dua_rusak.jsonl",
        [
            item(OTHER, "utuh"),
            # A date no one can read, and a line cut short.
            json.dumps({**item("1800000000000000081", "satu"), "created_at": "kemarin"}),
            '{"record": "item", "platform": "x", "id": "1800000000000000082", "text": "dua',
        ],
    )
    analyst = User.objects.get(username="malang_analyst")
    summary = source_upload_ingest(
        upload=SimpleUploadedFile("dua_rusak.jsonl", broken.read_bytes()),
        format_name=None,
        election=data.malang,
        actor=analyst,
    )
    source = Source.objects.get(pk=summary.source_id)
    first, second = QuarantinedRecord.objects.filter(source=source).order_by("position")
    # Only the first is fixed; the second is still cut short.
    partly = jsonl(
        tmp_path / "dua_sebagian.jsonl",
        [
            item(OTHER, "utuh"),
            item("1800000000000000081", "satu"),
            '{"record": "item", "platform": "x", "id": "1800000000000000082", "text": "dua',
        ],
    )
    run = _rerun(client_for("malang_analyst"), source, "dua_sebagian.jsonl", partly.read_bytes())
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.resolved_by_id, second.resolved_by_id) == (run, None)
    [event] = Event.objects.filter(kind="social.quarantine_resolved")
    assert event.params == {
        "run": run,
        "source": IngestRun.objects.get(pk=run).source_id,
        "records": 1,
    }


def test_a_corrected_table_row_closes_the_row_with_its_id_in_the_same_column(
    data: SocialData, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    header = "platform,id,author_handle,created_at,text\n"
    broken = (
        header + "x,1800000000000000091,warga_fiktif_12,2024-10-03 10:00:00+07:00,utuh\n"
        "x,1800000000000000092,warga_fiktif_12,01/10/2024,tanggal salah\n"
    ).encode()
    analyst = User.objects.get(username="malang_analyst")
    summary = source_upload_ingest(
        upload=SimpleUploadedFile("tabel.csv", broken),
        format_name=None,
        election=data.malang,
        actor=analyst,
    )
    source = Source.objects.get(pk=summary.source_id)
    record = QuarantinedRecord.objects.get(source=source)
    client = client_for("malang_analyst")
    # The id only as an author handle elsewhere: another column, not the same record.
    unrelated = (
        header + "x,1800000000000000093,1800000000000000092,2024-10-03 10:00:00+07:00,lain\n"
    ).encode()
    _rerun(client, source, "tabel_lain.csv", unrelated)
    record.refresh_from_db()
    assert record.resolved_by is None
    fixed = (
        header + "x,1800000000000000091,warga_fiktif_12,2024-10-03 10:00:00+07:00,utuh\n"
        "x,1800000000000000092,warga_fiktif_12,2024-10-01 08:00:00+07:00,tanggal benar\n"
    ).encode()
    run = _rerun(client, source, "tabel_perbaikan.csv", fixed)
    record.refresh_from_db()
    assert record.resolved_by_id == run
