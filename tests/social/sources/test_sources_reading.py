"""Reading JSON Lines and documents: locations, encodings and typed field access."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from netra.social.sources.reading import (
    JsonLine,
    RecordError,
    get_int,
    get_obj,
    get_opt_str,
    get_str,
    parse_iso,
    parse_page_lines,
    parse_twitter_time,
    read_document,
    read_json_lines,
    read_page,
)
from netra.social.sources.records import Parsed, ParseProblem, UnrecognisedFormat


def lines(content: bytes) -> list[JsonLine | ParseProblem]:
    return list(
        read_json_lines(io.BytesIO(content), accepts=lambda v: "id" in v, format_label="uji")
    )


def test_lines_count_from_one_and_offsets_from_the_first_byte_bom_included() -> None:
    content = b'\xef\xbb\xbf{"id": 1}\r\n\r\n{"id": 2, "teks": "\xea\xa6\xb2"}\n{"id": 3}'

    read = lines(content)

    assert read == [
        JsonLine(line=1, offset=3, raw=b'{"id": 1}', value={"id": 1}),
        JsonLine(
            line=3,
            offset=16,
            raw=b'{"id": 2, "teks": "\xea\xa6\xb2"}',
            value={"id": 2, "teks": "ꦲ"},
        ),
        JsonLine(line=4, offset=41, raw=b'{"id": 3}', value={"id": 3}),
    ]
    assert content[16:17] == b"{"
    assert content[41:42] == b"{"


def test_an_invalid_byte_names_its_line_and_exact_offset() -> None:
    content = b'{"id": 1}\n{"id": 2, "teks": "caf\xe9"}\n{"id": 3}\n'

    read = lines(content)

    assert read[1] == ParseProblem(
        reason="bukan teks UTF-8 yang sah (byte e9)",
        line=2,
        offset=32,
        raw=b'{"id": 2, "teks": "caf\xe9"}',
    )
    assert content[32:33] == b"\xe9"
    assert [r.line for r in read] == [1, 2, 3]


def test_a_json_error_offset_counts_bytes_not_characters() -> None:
    # Two Javanese letters (three bytes each) before the error.
    content = b'{"id": 1}\n{"id": "\xea\xa6\xb2\xea\xa6\xb2" x}\n'

    problem = lines(content)[1]

    assert problem == ParseProblem(
        reason="JSON tidak sah: tanda koma diharapkan (karakter ke-13)",
        line=2,
        offset=26,
        raw=b'{"id": "\xea\xa6\xb2\xea\xa6\xb2" x}',
    )
    assert content[26:27] == b"x"


def test_problems_before_the_first_record_wait_until_the_format_is_confirmed() -> None:
    read = lines(b'{"id": \n[1, 2]\n{"id": 1}\n')

    assert [(type(r).__name__, r.line) for r in read] == [
        ("ParseProblem", 1),
        ("ParseProblem", 2),
        ("JsonLine", 3),
    ]
    assert isinstance(read[1], ParseProblem)
    assert read[1].reason == "baris ini bukan objek JSON ({...})"


def test_an_object_of_another_shape_before_the_first_record_is_a_problem_with_its_keys() -> None:
    read = lines(b'{"nama": "x", "kota": "Malang"}\n{"id": 1}\n')

    assert read == [
        ParseProblem(
            reason="baris ini bukan uji; kuncinya: nama, kota",
            line=1,
            offset=0,
            raw=b'{"nama": "x", "kota": "Malang"}',
        ),
        JsonLine(line=2, offset=32, raw=b'{"id": 1}', value={"id": 1}),
    ]


def test_a_file_with_no_usable_line_yields_each_as_a_problem() -> None:
    read = lines(b'bukan json\n{"nama": "x"}\n')

    assert [(type(r).__name__, r.line) for r in read] == [
        ("ParseProblem", 1),
        ("ParseProblem", 2),
    ]
    assert isinstance(read[1], ParseProblem)
    assert read[1].reason == "baris ini bukan uji; kuncinya: nama"


def test_a_long_run_of_garbage_stops_after_a_hundred_lines() -> None:
    with pytest.raises(UnrecognisedFormat) as raised:
        lines(b"sampah\n" * 1000 + b'{"id": 1}\n')

    assert str(raised.value) == (
        "100 baris pertama tidak dapat dibaca sebagai uji; ini bukan berkas format itu. "
        "Masalah pertama (baris 1, byte ke-0): JSON tidak sah: nilai JSON diharapkan "
        "(karakter ke-1)"
    )


def test_an_empty_file_has_no_lines() -> None:
    assert lines(b"") == []


def test_a_document_with_a_lone_surrogate_is_read_with_the_replacement_character() -> None:
    # No database stores half a surrogate pair (not UTF-8); the raw bytes keep it escaped.
    assert read_document(io.BytesIO(b'{"teks": "\\ud800", "\\udc00": "\\ud83d\\ude00"}')) == (
        {"teks": "\ufffd", "\ufffd": "\U0001f600"},
        b'{"teks": "\\ud800", "\\udc00": "\\ud83d\\ude00"}',
    )


def test_an_escaped_nul_is_removed_from_texts_and_keys() -> None:
    document = b'{"teks": "a\\u0000b", "da\\u0000ftar": ["\\u0000", {"x": "c\\u0000"}]}'
    value, raw = read_document(io.BytesIO(document))  # type: ignore[misc]
    assert value == {"teks": "ab", "daftar": ["", {"x": "c"}]}
    assert raw == document


@pytest.mark.parametrize("depth", [201, 900, 5000, 100_000])
def test_json_nested_past_the_limit_is_a_problem_not_a_crash(depth: int) -> None:
    deep = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
    problem = read_document(io.BytesIO(deep))
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "JSON bersarang lebih dari 200 tingkat; tidak dibaca"
    [line] = lines(deep + b"\n")
    assert isinstance(line, ParseProblem)
    assert line.line == 1
    assert line.reason == problem.reason


def test_json_nested_past_the_limit_on_the_careful_path_is_refused_too() -> None:
    # A lone surrogate sends the line past the fast parser, which would have said "too deep".
    deep = b'{"t": "\\ud800", "a": ' + b"[" * 300 + b"]" * 300 + b"}"
    problem = read_document(io.BytesIO(deep))
    assert isinstance(problem, ParseProblem)
    assert "bersarang lebih dari 200 tingkat" in problem.reason
    shallow = b'{"t": "\\ud800", "a": ' + b"[" * 150 + b"]" * 150 + b"}"
    assert not isinstance(read_document(io.BytesIO(shallow)), ParseProblem)


def test_a_line_over_the_limit_is_a_problem_read_past_in_pieces() -> None:
    good = b'{"platform": "x", "id": "1"}\n'
    long = b'{"platform": "x", "text": "' + b"y" * (3 << 20) + b'"}\r\n'
    stream = io.BytesIO(good + long + good)
    found = list(
        read_json_lines(stream, accepts=lambda value: "platform" in value, format_label="t")
    )
    assert [type(entry).__name__ for entry in found] == ["JsonLine", "ParseProblem", "JsonLine"]
    problem = found[1]
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset) == (2, len(good))
    assert problem.reason == (
        f"baris ini {len(long)} byte, lebih dari batas 1 MiB per baris; tidak dibaca, "
        "hanya awalnya yang disimpan"
    )
    assert problem.raw == long[: 1 << 16]
    third = found[2]
    assert isinstance(third, JsonLine)
    assert (third.line, third.offset) == (3, len(good) + len(long))


def test_fields_are_typed_or_the_record_is_refused_with_the_field_named() -> None:
    record = {"id": 1856139848709046272, "teks": "halo", "jumlah": "12", "kosong": None, "x": []}

    assert get_str(record, "id") == "1856139848709046272"
    assert get_str(record, "tidak_ada") == ""
    assert get_opt_str(record, "kosong") is None
    assert get_int(record, "jumlah") == 12
    assert get_obj(record, "tidak_ada") == {}
    with pytest.raises(RecordError, match=r"^kolom 'x' bukan teks$"):
        get_str(record, "x")
    with pytest.raises(RecordError, match=r"^kolom 'tidak_ada' tidak ada$"):
        get_str(record, "tidak_ada", required=True)
    with pytest.raises(RecordError, match=r"^kolom 'teks' bukan bilangan$"):
        get_int(record, "teks")
    with pytest.raises(RecordError, match=r"^kolom 'teks' bukan objek$"):
        get_obj(record, "teks")


def test_times_are_read_aware_and_a_naive_time_is_refused() -> None:
    assert parse_iso("2024-11-10T08:00:00.000Z", field="created_at") == datetime(
        2024, 11, 10, 8, tzinfo=UTC
    )
    assert parse_twitter_time("Tue Nov 12 01:00:00 +0700 2024", field="created_at") == datetime(
        2024, 11, 12, 1, tzinfo=timezone(timedelta(hours=7))
    )
    with pytest.raises(RecordError, match=r"tidak menyebut zona waktu"):
        parse_iso("2024-11-10T08:00:00", field="created_at")
    with pytest.raises(
        RecordError, match=r"^waktu 'Selasa 12 Nov' di kolom 'created_at' tidak terbaca$"
    ):
        parse_twitter_time("Selasa 12 Nov", field="created_at")


def test_a_file_of_pages_gives_each_page_its_line_and_names_a_line_that_is_no_page() -> None:
    content = b'{"id": 1, "items": [1, 2]}\n{"nama": "x"}\n{"id": \n{"id": 2, "items": []}\n'
    seen: list[tuple[int | None, int]] = []

    def page(entry: JsonLine) -> list[Parsed]:
        seen.append((entry.line, entry.offset))
        return [ParseProblem(reason=f"halaman {entry.value['id']}", line=entry.line)]

    read = list(
        parse_page_lines(
            io.BytesIO(content), accepts=lambda v: "id" in v, format_label="uji", page=page
        )
    )

    assert seen == [(1, 0), (4, 49)]
    assert read == [
        ParseProblem(reason="halaman 1", line=1),
        ParseProblem(reason="baris ini bukan respons uji", line=2, offset=27, raw=b'{"nama": "x"}'),
        ParseProblem(
            reason="JSON tidak sah: nilai JSON diharapkan (karakter ke-8)",
            line=3,
            offset=48,
            raw=b'{"id": ',
        ),
        ParseProblem(reason="halaman 2", line=4),
    ]
    assert (content[27:28], content[49:50]) == (b"{", b"{")


def test_a_file_of_one_page_is_read_whole_or_is_one_problem_saying_what_it_holds() -> None:
    assert read_page(io.BytesIO(b'{"id": 1}'), accepts=lambda v: "id" in v, format_label="uji") == (
        {"id": 1},
        b'{"id": 1}',
    )

    assert read_page(io.BytesIO(b"[1]"), accepts=lambda v: True, format_label="uji") == (
        ParseProblem(
            reason="berkas ini bukan respons uji; isinya: daftar tanpa objek", path="$", raw=b"[1]"
        )
    )
    assert read_page(
        io.BytesIO(b'{"nama": 1}'), accepts=lambda v: "id" in v, format_label="uji"
    ) == ParseProblem(
        reason="berkas ini bukan respons uji; isinya: objek dengan kunci nama",
        path="$",
        raw=b'{"nama": 1}',
    )
