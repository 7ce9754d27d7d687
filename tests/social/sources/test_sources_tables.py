"""The shared CSV reader and the spreadsheet value helpers of netra/social/sources/tables.py.

CSV as RFC 4180 describes it (https://www.rfc-editor.org/rfc/rfc4180: quoted fields may hold
separators, doubled quotes and line breaks; CRLF ends a record) and as Python's csv module
reads it (https://docs.python.org/3/library/csv.html); Excel's "CSV UTF-8" writes a UTF-8
BOM, and in an Indonesian locale separates with ";" and may start with a "sep=;" line
(https://support.microsoft.com/en-us/office/import-or-export-text-txt-or-csv-files-5250ac4c-663c-47ce-937b-339e391393ba).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from typing import IO

import pytest

from netra.social.sources.reading import RecordError
from netra.social.sources.records import ParseProblem, UnrecognisedFormat
from netra.social.sources.tables import (
    MAX_PROBLEMS_BEFORE_FIRST_ROW,
    MAX_ROW_BYTES,
    WIB,
    WIT,
    WITA,
    TableRow,
    header_key,
    open_table,
    parse_count,
    parse_flag,
    parse_time,
    parse_zone,
    read_table,
)

BOM = b"\xef\xbb\xbf"


def rows(data: bytes) -> list[TableRow | ParseProblem]:
    return list(read_table(io.BytesIO(data), format_label="tabel uji"))


def cells(results: list[TableRow | ParseProblem]) -> list[dict[str, str] | str]:
    """Each row's cells, or its problem as "where: reason"."""
    out: list[dict[str, str] | str] = []
    for result in results:
        if isinstance(result, TableRow):
            out.append(dict(result.cells))
        else:
            out.append(f"{result.where}: {result.reason}")
    return out


class CountingStream(io.RawIOBase):
    """A stream of ``count`` identical rows after a header, made on demand, never whole."""

    def __init__(self, header: bytes, row: bytes, count: int) -> None:
        self._row = row
        self._left = count
        self._buffer = header
        self.handed_out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer and self._left:
            self._buffer = self._row
            self._left -= 1
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        self.handed_out += size
        return size


# --- reading rows --------------------------------------------------------------------------


def test_it_reads_an_excel_semicolon_csv_with_bom_crlf_and_a_multiline_cell() -> None:
    data = (
        BOM
        + (
            "Platform;ID;Teks;Suka\r\n"
            'x;101;"Coblos ""nomor 2""\r\nbaris kedua; masih sel";1.234\r\n'
            "youtube;102;ꦲꦏ꧀ꦱꦫ ꦗꦮ 🇮🇩 مرحبا;7\r\n"
        ).encode()
    )
    table = open_table(io.BytesIO(data), format_label="tabel uji")
    assert table.delimiter == ";"
    assert table.keys == ("platform", "id", "teks", "suka")
    assert dict(table.names) == {"platform": "Platform", "id": "ID", "teks": "Teks", "suka": "Suka"}
    assert (table.header_line, table.header_raw) == (1, b"Platform;ID;Teks;Suka")
    first, second = list(table)
    assert isinstance(first, TableRow)
    assert isinstance(second, TableRow)
    assert dict(first.cells) == {
        "platform": "x",
        "id": "101",
        "teks": 'Coblos "nomor 2"\r\nbaris kedua; masih sel',
        "suka": "1.234",
    }
    # The row starts after the BOM and the header line; its raw bytes are exactly its own.
    assert (first.line, first.offset) == (2, len(BOM) + len(b"Platform;ID;Teks;Suka\r\n"))
    assert first.raw == data[first.offset : first.offset + len(first.raw)]
    assert first.raw.endswith(b";1.234")
    # The multi-line row took lines 2 and 3, so the next row starts on line 4.
    assert (second.line, second.cells["teks"]) == (4, "ꦲꦏ꧀ꦱꦫ ꦗꦮ 🇮🇩 مرحبا")
    assert data[second.offset :].rstrip(b"\r\n") == second.raw


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        (b"a,b,c", ","),
        (b"a;b;c", ";"),
        (b"a\tb\tc", "\t"),
        (b"a;b,c;d", ";"),  # the separator the header holds most
        (b"abc", ","),  # a single column
    ],
)
def test_it_detects_the_delimiter_from_the_header(header: bytes, delimiter: str) -> None:
    table = open_table(io.BytesIO(header + b"\n"), format_label="tabel uji")
    assert table.delimiter == delimiter


def test_it_honours_an_excel_sep_line_and_a_given_delimiter() -> None:
    table = open_table(io.BytesIO(b"sep=;\r\na;b,c\r\n1;2,3\r\n"), format_label="tabel uji")
    assert (table.delimiter, table.keys, table.header_line) == (";", ("a", "b,c"), 2)
    [row] = list(table)
    assert isinstance(row, TableRow)
    assert (dict(row.cells), row.line) == ({"a": "1", "b,c": "2,3"}, 3)
    forced = open_table(io.BytesIO(b"a;b,c\n"), format_label="tabel uji", delimiter=",")
    assert forced.keys == ("a;b", "c")


def test_it_reads_lf_files_and_a_last_row_without_line_ending() -> None:
    results = rows(b"a,b\n1,2\n3,4")
    assert cells(results) == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    assert [(r.line, r.offset, r.raw) for r in results if isinstance(r, TableRow)] == [
        (2, 4, b"1,2"),
        (3, 8, b"3,4"),
    ]


def test_it_skips_blank_rows_and_keeps_their_line_numbers() -> None:
    results = rows(b"\r\n\r\na,b\r\n\r\n ,,\r\n , \r\n1,2\r\n,\r\n")
    assert [(r.line, dict(r.cells)) for r in results if isinstance(r, TableRow)] == [
        (7, {"a": "1", "b": "2"})
    ]
    assert len(results) == 1


def test_it_normalises_header_names_and_keeps_every_column() -> None:
    table = open_table(
        io.BytesIO(b" Post Created ,post-created,,Like.Count,LIKE_COUNT,\n1,2,3,4,5,6\n"),
        format_label="tabel uji",
    )
    assert table.keys == (
        "post_created",
        "post_created_2",
        "_3",
        "like_count",
        "like_count_2",
        "_6",
    )
    assert table.names["post_created"] == "Post Created"
    assert table.names["_3"] == "_3"
    [row] = list(table)
    assert isinstance(row, TableRow)
    assert list(row.cells.values()) == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Post Created", "post_created"),
        ("  POST_CREATED  ", "post_created"),
        ("post - created", "post_created"),
        ("Facebook Id", "facebook_id"),
        ("Is Video Owner?", "is_video_owner?"),
        ("_Nama__Akun_", "nama_akun"),
        ("#Catatan", "#catatan"),
        ("", ""),
    ],
)
def test_header_key_folds_case_spaces_and_separators(name: str, key: str) -> None:
    assert header_key(name) == key


def test_it_keeps_names_as_written_with_another_normaliser() -> None:
    table = open_table(
        io.BytesIO(b" Page Name ,Likes\n"), format_label="tabel uji", normalise=str.strip
    )
    assert table.keys == ("Page Name", "Likes")


def test_row_helpers_trim_cells_and_locate_problems() -> None:
    table = open_table(
        io.BytesIO(b"Created At,Teks\n2024-10-01 , halo \n"), format_label="tabel uji"
    )
    [row] = list(table)
    assert isinstance(row, TableRow)
    assert (row.get("created_at"), row.get("teks"), row.get("missing")) == (
        "2024-10-01",
        "halo",
        "",
    )
    assert row.cells["teks"] == " halo "
    assert (row.has("teks"), row.has("missing")) == (True, False)
    problem = row.problem("waktu tidak terbaca", column="created_at")
    assert problem == ParseProblem(
        reason="waktu tidak terbaca",
        line=2,
        offset=len(b"Created At,Teks\n"),
        path="kolom Created At",
        raw=b"2024-10-01 , halo ",
    )
    assert problem.where == "baris 2, byte ke-16, kolom Created At"
    assert row.problem("salah").path == ""


def test_a_row_with_the_wrong_number_of_cells_is_a_problem_and_reading_goes_on() -> None:
    data = b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
    assert cells(rows(data)) == [
        {"a": "1", "b": "2", "c": "3"},
        "baris 3, byte ke-12: baris berisi 2 sel, padahal kepala tabel punya 3 kolom",
        "baris 4, byte ke-16: baris berisi 4 sel, padahal kepala tabel punya 3 kolom",
        {"a": "10", "b": "11", "c": "12"},
    ]
    problem = rows(data)[1]
    assert isinstance(problem, ParseProblem)
    assert problem.raw == b"4,5"


def test_a_cp1252_row_is_a_problem_naming_the_line_and_the_bad_byte() -> None:
    header = b"nama;kota\r\n"
    good = b"Siti;Malang\r\n"
    bad = "José Café;Batu\r\n".encode("cp1252")
    data = BOM + header + good + bad + good
    results = rows(data)
    assert isinstance(results[0], TableRow)
    assert isinstance(results[2], TableRow)
    problem = results[1]
    assert isinstance(problem, ParseProblem)
    bad_offset = len(BOM + header + good) + bad.index(b"\xe9")
    assert (problem.line, problem.offset) == (3, bad_offset)
    assert problem.reason == (
        'bukan teks UTF-8 (byte 0xE9); simpan ulang dari Excel sebagai "CSV UTF-8"'
    )
    assert problem.raw == bad.rstrip(b"\r\n")


def test_a_bad_byte_on_the_second_line_of_a_quoted_cell_names_that_line() -> None:
    data = b'a,b\n1,"baris satu\nbaris dua \xe9"\n2,3\n'
    first, second = rows(data)
    assert isinstance(first, ParseProblem)
    assert (first.line, first.offset) == (3, data.index(b"\xe9"))
    assert first.raw == b'1,"baris satu\nbaris dua \xe9"'
    assert isinstance(second, TableRow)
    assert second.line == 4


def test_a_header_that_is_not_utf8_refuses_the_file() -> None:
    data = "Nama Pénerima;Nomor Urut\r\nSiti;1\r\n".encode("cp1252")
    with pytest.raises(UnrecognisedFormat) as caught:
        rows(data)
    assert str(caught.value) == (
        "Kepala tabel (baris 1, byte ke-6) bukan teks UTF-8 (byte 0xE9); simpan ulang dari Excel "
        'sebagai "CSV UTF-8"; ini bukan tabel uji.'
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Berkas kosong; ini bukan tabel uji."),
        (BOM + b"\r\n\r\n", "Berkas kosong; ini bukan tabel uji."),
        (b"PK\x03\x04\x14\x00\x06\x00", "Berkas ZIP, bukan teks CSV; ini bukan tabel uji."),
        (b"\x1f\x8b\x08\x00", "Berkas gzip, bukan teks CSV; ini bukan tabel uji."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "Berkas OLE (Excel .xls), bukan teks CSV; ini bukan tabel uji.",
        ),
        ("a,b\r\n".encode("utf-16"), "Berkas UTF-16, bukan teks CSV; ini bukan tabel uji."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "Berkas PNG, bukan teks CSV; ini bukan tabel uji.",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "Berkas PDF, bukan teks CSV; ini bukan tabel uji."),
        (
            b"\x7fELF\x02\x01\x01\x00\x00\x00",
            "Berkas biner (berisi byte NUL), bukan teks CSV; ini bukan tabel uji.",
        ),
        (
            b'a,"b\n',
            "Baris kepala tabel tidak terbaca sebagai CSV (tanda kutip pembuka sel tidak pernah "
            "ditutup); ini bukan tabel uji.",
        ),
    ],
)
def test_it_refuses_files_that_are_not_csv_text(data: bytes, message: str) -> None:
    with pytest.raises(UnrecognisedFormat) as caught:
        rows(data)
    assert str(caught.value) == message


def test_a_missing_required_column_refuses_the_file_naming_what_is_there() -> None:
    with pytest.raises(UnrecognisedFormat) as caught:
        open_table(
            io.BytesIO(b"Page Name;Likes\n"), format_label="tabel uji", required={"platform", "id"}
        )
    assert str(caught.value) == (
        "Kolom id, platform tidak ada; ini bukan tabel uji. Kolom yang ada: Page Name, Likes."
    )


def test_a_nul_byte_in_a_row_is_a_problem() -> None:
    data = b"a,b\n1,x\x00y\n2,3\n"
    first, second = rows(data)
    assert isinstance(first, ParseProblem)
    assert (first.line, first.offset, first.reason) == (
        2,
        data.index(b"\x00"),
        "baris berisi byte NUL (data biner), bukan teks",
    )
    assert isinstance(second, TableRow)


def test_a_binary_file_after_a_text_header_is_refused_after_the_first_failures() -> None:
    garbage = b"".join(bytes([0, 200 + n % 50, 10]) for n in range(500))
    with pytest.raises(UnrecognisedFormat) as caught:
        rows(b"a,b\n" + garbage)
    assert str(caught.value) == (
        f"{MAX_PROBLEMS_BEFORE_FIRST_ROW} baris data pertama tidak terbaca; ini bukan tabel "
        "uji. Masalah pertama (baris 2, byte ke-4): baris berisi byte NUL (data biner), bukan teks"
    )


def test_problems_before_the_first_good_row_are_yielded_in_order_once_one_is_read() -> None:
    results = rows(b"a,b\n1\n2\n3,4\n5\n")
    assert [type(r).__name__ for r in results] == [
        "ParseProblem",
        "ParseProblem",
        "TableRow",
        "ParseProblem",
    ]
    assert [r.line for r in results] == [2, 3, 4, 5]
    assert cells(rows(b"a,b\n1\n")) == [
        "baris 2, byte ke-4: baris berisi 1 sel, padahal kepala tabel punya 2 kolom"
    ]


def test_an_oversized_row_is_one_problem_and_the_next_row_is_read() -> None:
    long_cell = b"x" * (MAX_ROW_BYTES + 10)
    data = b"a,b\n1,2\n3," + long_cell + b"\n5,6\n"
    first, problem, last = rows(data)
    assert isinstance(first, TableRow)
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset) == (3, 8)
    assert problem.reason == (
        f"baris lebih panjang dari {MAX_ROW_BYTES} byte ({MAX_ROW_BYTES + 13} byte atau lebih); "
        "mungkin ada tanda kutip yang tidak ditutup"
    )
    assert len(problem.raw) == MAX_ROW_BYTES
    assert isinstance(last, TableRow)
    assert (last.line, last.offset, dict(last.cells)) == (4, len(data) - 4, {"a": "5", "b": "6"})


def test_an_oversized_row_of_quoted_cells_spanning_lines_is_one_problem() -> None:
    # Twelve cells of 100,000 bytes each: every cell fits, the row does not.
    cell = b'"' + b"baris panjang\n" * 7_000 + b'"'
    header = b",".join(b"k%d" % n for n in range(12)) + b"\n"
    row = b",".join([cell] * 12) + b"\n"
    data = header + row + b"1,2,3,4,5,6,7,8,9,10,11,12\n"
    problem, last = rows(data)
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset) == (2, len(header))
    assert problem.reason == (
        f"baris lebih panjang dari {MAX_ROW_BYTES} byte ({len(row)} byte atau lebih); "
        "mungkin ada tanda kutip yang tidak ditutup"
    )
    assert problem.raw == row[:MAX_ROW_BYTES]
    assert isinstance(last, TableRow)
    assert (last.line, last.offset) == (row.count(b"\n") + 2, len(header + row))
    assert last.cells["k11"] == "12"


def test_an_unclosed_quote_swallows_the_rest_as_one_problem_not_one_per_line() -> None:
    data = b'a,b\n1,"tidak ditutup\n' + b"2,3\n" * 400_000
    [problem] = rows(data)
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset) == (2, 4)
    assert problem.reason == "tanda kutip pembuka sel tidak pernah ditutup"
    assert problem.raw == data[4 : 4 + MAX_ROW_BYTES]


def test_a_cell_over_the_field_limit_is_one_problem_even_across_lines() -> None:
    lines = b"ab\n" * 50_000  # 150,000 characters: over csv's 131,072, under MAX_ROW_BYTES
    data = b'a,b\n1,"' + lines + b'"\n7,8\n'
    problem, last = rows(data)
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset, problem.reason) == (
        2,
        4,
        "sel lebih panjang dari 131072 karakter",
    )
    assert problem.raw == data[4:].removesuffix(b"\n7,8\n")
    assert isinstance(last, TableRow)
    assert last.line == 50_003


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'1,"dua"tiga\n',
            'ada teks setelah tanda kutip penutup sel (kutip di dalam sel harus ditulis "")',
        ),
        (b'1,"tidak ditutup\n', "tanda kutip pembuka sel tidak pernah ditutup"),
    ],
)
def test_malformed_quoting_is_a_problem(body: bytes, reason: str) -> None:
    data = b"a,b\n0,0\n" + body
    first, problem = rows(data)
    assert isinstance(first, TableRow)
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset, problem.reason) == (3, 8, reason)
    assert problem.raw == body.rstrip(b"\n")


def test_it_streams_in_constant_memory() -> None:
    row = b"x,1,halo semua\r\n"
    stream = CountingStream(b"platform,id,text\r\n", row, 200_000)
    reader = io.BufferedReader(stream, buffer_size=8192)
    results = read_table(reader, format_label="tabel uji")
    first = next(results)
    assert isinstance(first, TableRow)
    # The first row came after one buffer of a 3.2 MB file, not after reading all of it.
    assert stream.handed_out <= 8192 < len(row) * 200_000
    count, last_line = 1, first.line
    for result in results:
        assert isinstance(result, TableRow)
        count += 1
        last_line = result.line
    assert (count, last_line) == (200_000, 200_001)
    assert stream.handed_out == len(b"platform,id,text\r\n") + len(row) * 200_000


def test_read_table_refuses_on_first_next_not_on_call() -> None:
    stream: IO[bytes] = io.BytesIO(b"\x00\x01")
    results = read_table(stream, format_label="tabel uji")
    with pytest.raises(UnrecognisedFormat):
        next(results)


# --- values as spreadsheets write them ------------------------------------------------------

PLUS7 = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-01T08:15:00+07:00", datetime(2024, 10, 1, 8, 15, tzinfo=PLUS7)),
        ("2024-10-01 01:15:00Z", datetime(2024, 10, 1, 1, 15, tzinfo=UTC)),
        ("2024-10-01T01:15:00.250Z", datetime(2024, 10, 1, 1, 15, 0, 250_000, tzinfo=UTC)),
        ("2024-10-01 08:15:00 +0700", datetime(2024, 10, 1, 8, 15, tzinfo=PLUS7)),
        (
            "2024-10-01 08:15:00-03",
            datetime(2024, 10, 1, 8, 15, tzinfo=timezone(-timedelta(hours=3))),
        ),
        ("2024-10-01 08:15:00 WIB", datetime(2024, 10, 1, 8, 15, tzinfo=WIB)),
        ("2024-10-01 09:15 wita", datetime(2024, 10, 1, 9, 15, tzinfo=WITA)),
        ("2024-10-01 10:15:00 WIT", datetime(2024, 10, 1, 10, 15, tzinfo=WIT)),
        ("2024-10-01 01:15:00 UTC", datetime(2024, 10, 1, 1, 15, tzinfo=UTC)),
        ("1727745300", datetime(2024, 10, 1, 1, 15, tzinfo=UTC)),
        (" 1727745300.5 ", datetime(2024, 10, 1, 1, 15, 0, 500_000, tzinfo=UTC)),
    ],
)
def test_parse_time_reads_zoned_times(value: str, expected: datetime) -> None:
    parsed = parse_time(value, field="created_at")
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_parse_time_reads_zoneless_times_in_the_declared_zone_only() -> None:
    assert parse_time("2024-10-01 08:15:00", field="t", default_zone=WIB) == datetime(
        2024, 10, 1, 1, 15, tzinfo=UTC
    )
    assert parse_time("2024-10-01T08:15", field="t", default_zone=WITA).utcoffset() == timedelta(
        hours=8
    )
    # A zone in the value wins over the default.
    assert parse_time("2024-10-01 08:15:00Z", field="t", default_zone=WIB).utcoffset() == timedelta(
        0
    )
    with pytest.raises(RecordError) as caught:
        parse_time("2024-10-01 08:15:00", field="created_at")
    assert str(caught.value) == (
        "waktu '2024-10-01 08:15:00' di kolom 'created_at' tidak menyebut zona waktu"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "01/10/2024 08:15",
            "waktu '01/10/2024 08:15' di kolom 'created_at' tidak terbaca; tulis seperti "
            "2024-10-01 08:15:00+07:00",
        ),
        (
            "2024-10-01",
            "waktu '2024-10-01' di kolom 'created_at' tidak terbaca; tulis seperti "
            "2024-10-01 08:15:00+07:00",
        ),
        (
            "1727745300000",
            "waktu '1727745300000' di kolom 'created_at' tidak terbaca; tulis seperti "
            "2024-10-01 08:15:00+07:00",
        ),
        (
            "2024-02-30 08:15:00+07:00",
            "waktu '2024-02-30 08:15:00+07:00' di kolom 'created_at' bukan tanggal yang ada",
        ),
        (
            "2024-10-01 08:15:00 EST",
            "zona waktu 'EST' di kolom 'created_at' tidak dikenal; gunakan +07:00, WIB, WITA, "
            "WIT atau UTC",
        ),
        (
            "2024-10-01 08:15:00+25:00",
            "zona waktu '+25:00' di kolom 'created_at' tidak mungkin",
        ),
    ],
)
def test_parse_time_refuses_ambiguous_or_impossible_times(value: str, message: str) -> None:
    with pytest.raises(RecordError) as caught:
        parse_time(value, field="created_at", default_zone=WIB)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("+07:00", 7 * 60),
        ("+0800", 8 * 60),
        ("-03", -3 * 60),
        ("+05:30", 5 * 60 + 30),
        ("Z", 0),
        ("wib", 7 * 60),
        ("WITA", 8 * 60),
        ("WIT", 9 * 60),
        ("gmt", 0),
    ],
)
def test_parse_zone_reads_offsets_and_indonesian_zone_names(value: str, offset: int) -> None:
    assert parse_zone(value, field="timezone").utcoffset(None) == timedelta(minutes=offset)


def test_parse_zone_refuses_region_names() -> None:
    with pytest.raises(RecordError) as caught:
        parse_zone("Asia/Jakarta", field="timezone")
    assert str(caught.value) == (
        "zona waktu 'Asia/Jakarta' di kolom 'timezone' tidak dikenal; gunakan +07:00, WIB, "
        "WITA, WIT atau UTC"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("  ", None),
        ("0", 0),
        ("1234", 1234),
        (" 42 ", 42),
        ("1.234", 1234),
        ("1,234", 1234),
        ("12.345.678", 12_345_678),
        ("12,345,678", 12_345_678),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1234.0", 1234),
    ],
)
def test_parse_count_reads_counts_with_thousands_separators(
    value: str, expected: int | None
) -> None:
    assert parse_count(value, field="likes") == expected


@pytest.mark.parametrize(
    "value",
    [
        "1,5",
        "1.5",
        "1.2K",
        "3 rb",
        "-4",
        "1.234,00",
        "1,234.5",
        "1.23",
        "12.34.567",
        "١٢٣",
        "1234.5",
    ],
)
def test_parse_count_refuses_fractions_abbreviations_and_mixed_separators(value: str) -> None:
    with pytest.raises(RecordError) as caught:
        parse_count(value, field="likes")
    assert str(caught.value) == f"kolom 'likes' bukan bilangan bulat: '{value}'"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        ("ya", True),
        ("Yes", True),
        ("y", True),
        ("benar", True),
        ("", False),
        ("0", False),
        ("false", False),
        ("Tidak", False),
        ("no", False),
        ("salah", False),
    ],
)
def test_parse_flag_reads_yes_and_no(value: str, expected: bool) -> None:
    assert parse_flag(value, field="deleted") is expected


def test_parse_flag_refuses_anything_else() -> None:
    with pytest.raises(RecordError) as caught:
        parse_flag("mungkin", field="deleted")
    assert str(caught.value) == "kolom 'deleted' harus ya/tidak (1/0, true/false), bukan 'mungkin'"
