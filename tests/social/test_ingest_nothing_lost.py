"""Nothing dropped in silence: every record a parser cannot use is read and quarantined, and a
file that gave nothing usable is a failure with its reason, in the command, the upload page
and the push API alike.

The formats are taken from the registry when the tests are collected, so a parser added
later is fed the same files without anyone writing its test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from netra.social.ingest import NothingLoaded, ingest_file
from netra.social.models import IngestRun, QuarantinedRecord, RunStatus, Source
from netra.social.sources.records import FormatSpec, Shape
from netra.social.sources.registry import FORMATS

pytestmark = pytest.mark.django_db

# Records of a shape no format knows: keys nobody uses, values of every kind.
UNKNOWN = [
    {"zz_unknown": 1, "lain": "a"},
    {"zz_unknown": [{"b": 2}]},
    {"zz_unknown": {"c": None}},
]


def _table(spec: FormatSpec) -> bytes:
    """A table under the format's own header whose rows it cannot use: cells that are no
    values of its columns, and a row whose cells do not match the header."""
    header = sorted(spec.keys)
    rows = [",".join(header), ",".join(["zz?"] * len(header)), ",".join(["??"] * len(header))]
    rows.append("zz,zz")
    return ("\n".join(rows) + "\n").encode()


def unknown_records(spec: FormatSpec, shape: Shape) -> bytes:
    """A file laid out as ``shape`` whose records are of a shape ``spec`` does not know."""
    if shape is Shape.LINES:
        return b"".join(json.dumps(record).encode() + b"\n" for record in UNKNOWN)
    if shape is Shape.OBJECT:
        return json.dumps(UNKNOWN[0]).encode()
    if shape is Shape.ARRAY:
        return json.dumps(UNKNOWN).encode()
    if shape is Shape.SCRIPT:
        return b"window.YTD.tweets.part0 = " + json.dumps(UNKNOWN).encode()
    if shape is Shape.TABLE:
        return _table(spec)
    raise AssertionError(f"no file of unknown records for the shape {shape}: write one")


CASES = [(name, shape) for name, spec in FORMATS.items() for shape in spec.shapes]
SUFFIXES = {
    Shape.LINES: ".jsonl",
    Shape.OBJECT: ".json",
    Shape.ARRAY: ".json",
    Shape.SCRIPT: ".js",
    Shape.TABLE: ".csv",
}


def test_every_format_of_the_registry_is_fed_a_file_of_unknown_records() -> None:
    assert {name for name, _shape in CASES} == set(FORMATS)


@pytest.mark.parametrize(("format_name", "shape"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_every_format_quarantines_records_of_a_shape_it_does_not_know(
    format_name: str, shape: Shape, tmp_path: Path
) -> None:
    path = tmp_path / f"tidak-dikenal{SUFFIXES[shape]}"
    path.write_bytes(unknown_records(FORMATS[format_name], shape))

    with pytest.raises(NothingLoaded) as raised:
        ingest_file(path, format_name=format_name)

    totals = raised.value.summary.tally.totals()
    assert totals["read"] > 0
    assert totals["read"] == totals["quarantined"]
    source = Source.objects.get(pk=raised.value.summary.source_id)
    assert QuarantinedRecord.objects.filter(source=source).count() == totals["quarantined"]
    assert str(raised.value).startswith(
        f"Berkas '{path.name}': tidak satu pun dari {totals['read']} rekaman dapat dipakai "
        f"sebagai {format_name}; semuanya dikarantina. Rekaman pertama ("
    )
    # The load itself finished: loading the file again reads the same and stores nothing.
    assert IngestRun.objects.get(source=source).status == RunStatus.DONE


def test_the_message_names_the_first_record_and_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "youtube.jsonl"
    path.write_bytes(b'{"kind": "youtube#videoListResponse", "items": []}\n\n{"a": 1}\n')

    with pytest.raises(NothingLoaded) as raised:
        ingest_file(path, format_name="x-v2-jsonl")

    assert str(raised.value) == (
        "Berkas 'youtube.jsonl': tidak satu pun dari 2 rekaman dapat dipakai sebagai "
        "x-v2-jsonl; semuanya dikarantina. Rekaman pertama (baris 1, byte ke-0): baris ini "
        "bukan X API v2; kuncinya: kind, items. Semuanya dapat dilihat di halaman karantina "
        "sumber ini."
    )
    assert list(QuarantinedRecord.objects.order_by("position").values_list("line", "offset")) == [
        (1, 0),
        (3, 52),
    ]


def test_a_file_from_which_nothing_was_read_although_it_is_not_empty_is_a_failure(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kosong.json"
    path.write_bytes(b'{"meta": {"result_count": 0}}')

    with pytest.raises(NothingLoaded) as raised:
        ingest_file(path)

    assert str(raised.value) == (
        "Berkas 'kosong.json' tidak kosong, tetapi tidak satu rekaman pun terbaca darinya "
        "sebagai x-v2-json. Bila berkas ini respons API tanpa hasil, memang tidak ada yang "
        "dimuat; bila bukan, formatnya keliru."
    )
    assert raised.value.summary.tally.totals()["read"] == 0


def test_a_file_of_white_space_only_read_as_a_format_is_empty_not_a_failure(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kosong.jsonl"
    path.write_bytes(b"\xef\xbb\xbf\n  \r\n\n")

    summary = ingest_file(path, format_name="x-v2-jsonl")

    assert summary.tally.totals()["read"] == 0


def test_a_file_with_one_usable_record_among_unusable_ones_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "campur.jsonl"
    path.write_text(
        '{"zz": 1}\n{"record": "account", "platform": "x", "handle": "warga_fiktif"}\n',
        encoding="utf-8",
    )

    totals = ingest_file(path, format_name="netra-jsonl").tally.totals()

    assert (totals["read"], totals["new"], totals["quarantined"]) == (2, 1, 1)


def test_netra_ingest_ends_with_an_error_and_prints_what_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unusable = tmp_path / "salah.jsonl"
    unusable.write_bytes(b'{"zz": 1}\n{"zz": 2}\n')
    good = tmp_path / "akun.jsonl"
    good.write_text(
        '{"record": "account", "platform": "x", "handle": "warga_fiktif"}\n', encoding="utf-8"
    )

    with pytest.raises(CommandError, match="1 berkas tidak dapat dimuat"):
        call_command("ingest", str(unusable), str(good), "--format", "netra-jsonl")

    out, err = capsys.readouterr()
    assert f"{unusable} (netra-jsonl): 2 dibaca = 0 baru + 0 diperbarui + 0 duplikat + 2 " in out
    assert "Jumlah: 3 dibaca = 1 baru + 0 diperbarui + 0 duplikat + 2 dikarantina." in out
    assert "Berkas 'salah.jsonl': tidak satu pun dari 2 rekaman dapat dipakai" in err


def test_netra_ingest_json_lists_the_file_as_failed_with_its_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unusable = tmp_path / "salah.jsonl"
    unusable.write_bytes(b'{"zz": 1}\n')

    with pytest.raises(CommandError):
        call_command("ingest", str(unusable), "--format", "netra-jsonl", "--json")

    report = json.loads(capsys.readouterr().out)
    assert report["files"] == []
    [failed] = report["failed"]
    assert failed["path"] == str(unusable)
    assert failed["error"].startswith("Berkas 'salah.jsonl': tidak satu pun dari 1 rekaman")
    assert (failed["summary"]["read"], failed["summary"]["quarantined"]) == (1, 1)
    assert report["total"]["quarantined"] == 1
