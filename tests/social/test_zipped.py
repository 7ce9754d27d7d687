"""Export archives in ZIP opened where they lie: the members Netra reads, each a source of
its own; every other member listed with why; hostile archives refused or passed over.

The archives are built here from the layouts the platforms' export tools write, with the
member files of tests/social/sources/payloads:

* X, "Download an archive of your data" (twitter-YYYY-MM-DD-….zip): ``Your archive.html``,
  ``data/account.js``, ``data/tweets.js``, ``data/like.js``, ``data/deleted-tweets.js``,
  the parts Netra does not read (``data/follower.js``, ``data/direct-messages.js``,
  ``data/manifest.js``), media under ``data/tweets_media/`` and the viewer under
  ``assets/``;
* Meta, "Download Your Information" in JSON (instagram-….zip, facebook-….zip, 2024 layout):
  ``your_instagram_activity/likes/liked_posts.json``, ``…/content/posts_1.json``,
  ``…/comments/post_comments_1.json``, ``personal_information/…``, ``media/posts/…``;
  ``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json``,
  ``…/comments_and_reactions/comments.json``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from netra.social.ingest import IngestError
from netra.social.models import Account, Interaction, Item, QuarantinedRecord, Source
from netra.social.sources import zips
from netra.social.sources.records import ParseOptions
from netra.social.zipped import ingest_zip

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "sources" / "payloads"
X = PAYLOADS / "x"
META = PAYLOADS / "meta"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4

X_ARCHIVE: dict[str, bytes] = {
    "Your archive.html": b"<!DOCTYPE html><html><body>Arsip Anda</body></html>",
    "data/manifest.js": b'window.__THAR_CONFIG = {"userInfo": {"userName": "agus_setiyono_dmy"}}',
    "data/account.js": (X / "archive_account.js").read_bytes(),
    "data/tweets.js": (X / "archive_tweets.js").read_bytes(),
    "data/like.js": (X / "archive_like.js").read_bytes(),
    "data/deleted-tweets.js": (X / "archive_deleted_tweets.js").read_bytes(),
    "data/follower.js": b'window.YTD.follower.part0 = [{"follower": {"accountId": "13"}}]',
    "data/direct-messages.js": b'window.YTD.direct_messages.part0 = [{"dmConversation": {}}]',
    "data/tweets_media/1855075334353846272-GcFiktifA1.jpg": JPEG,
    "data/tweets_media/1855086658974646272-GcFiktifB2.jpg": JPEG,
    "assets/images/favicon.ico": b"\x00\x00\x01\x00",
}

INSTAGRAM: dict[str, bytes] = {
    "your_instagram_activity/likes/liked_posts.json": (META / "ig_liked_posts.json").read_bytes(),
    "your_instagram_activity/content/posts_1.json": (META / "ig_posts_1.json").read_bytes(),
    "your_instagram_activity/comments/post_comments_1.json": (
        META / "ig_post_comments_1.json"
    ).read_bytes(),
    "personal_information/personal_information/personal_information.json": json.dumps(
        {"profile_user": [{"string_map_data": {"Username": {"value": "asn_contoh"}}}]}
    ).encode(),
    "media/posts/202410/17900000000000001.jpg": JPEG,
}


def archive(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def not_read(skipped: list[tuple[str, str]]) -> dict[str, str]:
    return dict(skipped)


def test_an_x_archive_is_read_member_by_member_its_owner_from_account_js(tmp_path: Path) -> None:
    path = archive(tmp_path / "twitter-2024-11-12-fiktif.zip", X_ARCHIVE)

    summary = ingest_zip(path)

    assert [s.path for s in summary.loaded] == [
        "twitter-2024-11-12-fiktif.zip/data/account.js",
        "twitter-2024-11-12-fiktif.zip/data/tweets.js",
        "twitter-2024-11-12-fiktif.zip/data/like.js",
        "twitter-2024-11-12-fiktif.zip/data/deleted-tweets.js",
    ]
    assert summary.failed == []
    assert {s.format for s in summary.loaded} == {"twitter-archive-js"}
    assert not_read(summary.skipped) == {
        "Your archive.html": "halaman, gaya tampilan atau teks penyerta arsip",
        "data/manifest.js": "format tidak dikenali: teks biasa yang diawali "
        '\'window.__THAR_CONFIG = {"userInfo": {"userName": "agus_setiyono_dmy"}}\'',
        "data/follower.js": "format tidak dikenali: arsip Twitter bagian 'follower', yang "
        "belum didukung (hanya account, deleted_tweets, like, tweets)",
        "data/direct-messages.js": "format tidak dikenali: arsip Twitter bagian "
        "'direct_messages', yang belum didukung (hanya account, deleted_tweets, like, tweets)",
        "data/tweets_media/1855075334353846272-GcFiktifA1.jpg": "media (foto, video, suara)",
        "data/tweets_media/1855086658974646272-GcFiktifB2.jpg": "media (foto, video, suara)",
        "assets/images/favicon.ico": "media (foto, video, suara)",
    }
    # Each member is a source of its own, named inside its archive.
    assert sorted(Source.objects.values_list("name", flat=True)) == sorted(
        s.path for s in summary.loaded
    )
    # The likes are the owner's, named by account.js: none quarantined for want of one;
    # the one record quarantined is the archive's tweet without a time.
    [problem] = QuarantinedRecord.objects.all()
    assert (problem.source.name, problem.path, problem.reason) == (
        "twitter-2024-11-12-fiktif.zip/data/tweets.js",
        "$[3]",
        "kolom 'created_at' tidak ada",
    )
    likes = Interaction.objects.filter(kind="like")
    assert likes.count() == 2
    assert {like.actor.handle for like in likes} == {"agus_setiyono_dmy"}
    assert set(Item.objects.values_list("author__handle", flat=True)) == {"agus_setiyono_dmy"}


def test_the_same_archive_again_stores_nothing_twice(tmp_path: Path) -> None:
    path = archive(tmp_path / "twitter.zip", X_ARCHIVE)
    first = ingest_zip(path)
    counts = (Source.objects.count(), Item.objects.count(), Account.objects.count())

    again = ingest_zip(path)

    assert (Source.objects.count(), Item.objects.count(), Account.objects.count()) == counts
    totals = again.tally.totals()
    assert totals["read"] == first.tally.totals()["read"]
    assert (totals["new"], totals["updated"]) == (0, 0)
    assert totals["duplicate"] + totals["quarantined"] == totals["read"]


def test_a_member_loaded_alone_and_in_its_archive_is_one_source(tmp_path: Path) -> None:
    alone = tmp_path / "tweets.js"
    alone.write_bytes(X_ARCHIVE["data/tweets.js"])
    owner = ParseOptions(owner_id="1300000000000000002", owner_handle="agus_setiyono_dmy")
    call_command("ingest", str(alone), "--owner-id", owner.owner_id)
    sources = Source.objects.count()

    summary = ingest_zip(archive(tmp_path / "twitter.zip", X_ARCHIVE))

    tweets = next(s for s in summary.loaded if s.path.endswith("data/tweets.js"))
    assert tweets.tally.totals()["new"] == 0
    assert Source.objects.count() == sources + 3  # account.js, like.js, deleted-tweets.js


def test_an_instagram_export_reads_its_known_files_and_lists_the_others(tmp_path: Path) -> None:
    path = archive(tmp_path / "instagram-asn_contoh-2024-11-12.zip", INSTAGRAM)

    summary = ingest_zip(path, options=ParseOptions(owner_handle="asn_contoh"))

    assert [(s.path.split("/", 1)[1], s.format) for s in summary.loaded] == [
        ("your_instagram_activity/likes/liked_posts.json", "instagram-dyi-json"),
        ("your_instagram_activity/content/posts_1.json", "instagram-dyi-json"),
        ("your_instagram_activity/comments/post_comments_1.json", "instagram-dyi-json"),
    ]
    assert summary.failed == []
    assert not_read(summary.skipped) == {
        "personal_information/personal_information/personal_information.json": (
            "format tidak dikenali: JSON berisi objek dengan kunci: profile_user"
        ),
        "media/posts/202410/17900000000000001.jpg": "media (foto, video, suara)",
    }
    assert Interaction.objects.filter(kind="like").count() > 0


def test_a_member_that_gives_nothing_usable_is_a_failure_with_its_reason(tmp_path: Path) -> None:
    # Instagram's likes name no actor but the export's owner, whom nobody named here.
    path = archive(tmp_path / "instagram.zip", INSTAGRAM)

    summary = ingest_zip(path)

    [failure] = summary.failed
    assert failure.name == "instagram.zip/your_instagram_activity/likes/liked_posts.json"
    assert failure.error.startswith(
        "Berkas 'instagram.zip/your_instagram_activity/likes/liked_posts.json': tidak satu "
        "pun dari "
    )
    assert failure.summary is not None
    assert len(summary.loaded) == 2


def test_netra_ingest_prints_each_member_and_what_it_did_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = archive(tmp_path / "twitter.zip", X_ARCHIVE)

    call_command("ingest", str(path))

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("twitter.zip/data/account.js (twitter-archive-js): 1 dibaca = 1 baru")
    assert f"{path}: 7 berkas tidak dibaca:" in out
    assert "  data/tweets_media/ (2 berkas): media (foto, video, suara)" in out, out
    assert out[-1].startswith("Jumlah: ")


def test_netra_ingest_json_gives_the_archive_with_its_members_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = archive(tmp_path / "twitter.zip", X_ARCHIVE)

    call_command("ingest", str(path), "--json")

    report = json.loads(capsys.readouterr().out)
    [zipped] = report["archives"]
    assert zipped["path"] == str(path)
    assert len(zipped["loaded"]) == 4
    assert [m["member"] for m in zipped["not_read"]] == [
        name
        for name in X_ARCHIVE
        if name
        not in {"data/account.js", "data/tweets.js", "data/like.js", "data/deleted-tweets.js"}
    ]
    assert report["total"]["read"] == zipped["read"]


def test_format_is_refused_for_an_archive(tmp_path: Path) -> None:
    path = archive(tmp_path / "twitter.zip", X_ARCHIVE)

    with pytest.raises(CommandError, match="1 berkas tidak dapat dimuat"):
        call_command("ingest", str(path), "--format", "twitter-archive-js")

    assert Source.objects.count() == 0


def test_an_archive_of_nothing_netra_reads_says_what_it_holds_and_what_is_read(
    tmp_path: Path,
) -> None:
    path = archive(
        tmp_path / "facebook-html.zip",
        {
            "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html": (
                b"<html></html>"
            ),
            "media/posts/1.jpg": JPEG,
            "media/posts/2.jpg": JPEG,
        },
    )

    with pytest.raises(IngestError) as raised:
        ingest_zip(path)

    assert str(raised.value) == (
        "Arsip 'facebook-html.zip' tidak berisi berkas yang dibaca Netra (3 berkas diperiksa): "
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html: "
        "halaman, gaya tampilan atau teks penyerta arsip; media/posts/ (2 berkas): media "
        "(foto, video, suara). Berkas data di dalam arsip dibaca bila formatnya salah satu "
        "yang tercantum di netra ingest --help (pilihan --format); ekspor yang dapat diminta "
        "dalam JSON atau HTML harus diminta dalam JSON."
    )
    assert Source.objects.count() == 0


def test_a_spreadsheet_is_told_to_be_saved_as_csv(tmp_path: Path) -> None:
    # The members Excel writes first in an .xlsx (Office Open XML).
    path = archive(
        tmp_path / "daftar.xlsx",
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<worksheet/>"},
    )

    with pytest.raises(IngestError) as raised:
        ingest_zip(path)

    assert str(raised.value) == (
        "Berkas 'daftar.xlsx' adalah dokumen Office (spreadsheet .xlsx atau .ods), bukan arsip "
        'ekspor. Simpan sebagai "CSV UTF-8 (dibatasi koma)", lalu muat CSV-nya.'
    )


def test_unsafe_names_links_and_encrypted_members_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "berbahaya.zip"
    tweets = X_ARCHIVE["data/tweets.js"]
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("../../luar.json", tweets)
        out.writestr("/mutlak/tweets.js", tweets)
        out.writestr("C:/windows/tweets.js", tweets)
        out.writestr("data\\..\\..\\tweets.js", tweets)
        link = zipfile.ZipInfo("data/tautan.js")
        link.external_attr = 0o120777 << 16
        out.writestr(link, "/etc/passwd")
        out.writestr("data/rahasia.js", tweets)
        out.writestr("data/account.js", X_ARCHIVE["data/account.js"])
    # Mark data/rahasia.js encrypted (bit 0 of its flags) in both of its headers.
    data = bytearray(path.read_bytes())
    for header, at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(header)
        while data[start + name_at : start + name_at + 15] != b"data/rahasia.js":
            start = data.find(header, start + 1)
        data[start + at] |= 0x1
    path.write_bytes(bytes(data))

    summary = ingest_zip(path)

    unsafe = "nama berkas tidak aman (mutlak, naik ke luar folder, atau berisi NUL)"
    assert not_read(summary.skipped) == {
        "../../luar.json": unsafe,
        "/mutlak/tweets.js": unsafe,
        "C:/windows/tweets.js": unsafe,
        "data\\..\\..\\tweets.js": unsafe,
        "data/tautan.js": "tautan simbolik",
        "data/rahasia.js": "terenkripsi",
    }
    assert [s.path for s in summary.loaded] == ["berbahaya.zip/data/account.js"]
    assert not (tmp_path.parent / "luar.json").exists()


def test_a_zip_bomb_is_not_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("data/tweets.js", b"window.YTD.tweets.part0 = [" + b" " * (4 << 20) + b"]")
        out.writestr("data/account.js", X_ARCHIVE["data/account.js"])

    summary = ingest_zip(path)

    [(name, reason)] = summary.skipped
    assert name == "data/tweets.js"
    assert reason.startswith("rasio pemampatan ")
    assert reason.endswith(":1 melebihi 100:1 (mungkin bom zip), tidak dibuka")


def test_a_member_that_unpacks_to_more_than_it_declares_is_cut_and_refused(
    tmp_path: Path,
) -> None:
    # Larger than the head detection reads, stored so that no ratio gives it away.
    body = X_ARCHIVE["data/tweets.js"].replace(b"[", b"[" + b" " * (2 << 20), 1)
    path = tmp_path / "bohong.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        out.writestr("data/tweets.js", body)
    # Declare a tenth of the real size in both headers: what is unpacked stops there and
    # the CRC no longer matches.
    data = bytearray(path.read_bytes())
    real = len(body).to_bytes(4, "little")
    small = (len(body) // 10).to_bytes(4, "little")
    for header, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(header)
        assert data[start + at : start + at + 4] == real
        data[start + at : start + at + 4] = small
    path.write_bytes(bytes(data))

    summary = ingest_zip(path)

    assert summary.loaded == []
    [failure] = summary.failed
    assert failure.name == "bohong.zip/data/tweets.js"
    assert failure.error.startswith("rusak (")
    assert Source.objects.count() == 0


def test_an_archive_of_too_many_members_is_refused_before_its_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zips, "MAX_MEMBERS", 5)
    path = archive(tmp_path / "banyak.zip", {f"data/{n}.json": b"{}" for n in range(6)})

    with pytest.raises(IngestError) as raised:
        ingest_zip(path)

    assert str(raised.value) == (
        "Arsip 'banyak.zip': arsip berisi 6 berkas (daftar isinya 0 MiB); paling banyak 5 "
        "berkas yang dibuka. Ekstrak dulu dan muat berkas data di dalamnya."
    )


def test_members_past_the_total_limit_are_not_read_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zips, "MAX_TOTAL_BYTES", len(X_ARCHIVE["data/account.js"]) + 10)
    path = archive(
        tmp_path / "besar.zip",
        {
            "data/account.js": X_ARCHIVE["data/account.js"],
            "data/tweets.js": X_ARCHIVE["data/tweets.js"],
        },
    )

    summary = ingest_zip(path)

    assert [s.path for s in summary.loaded] == ["besar.zip/data/account.js"]
    assert summary.skipped == [("data/tweets.js", "batas 0 GiB isi arsip yang dibuka terlampaui")]


def test_a_truncated_archive_is_refused_as_no_whole_zip(tmp_path: Path) -> None:
    whole = archive(tmp_path / "utuh.zip", X_ARCHIVE).read_bytes()
    path = tmp_path / "terpotong.zip"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(IngestError) as raised:
        ingest_zip(path)

    assert str(raised.value) == (
        "Arsip 'terpotong.zip': bukan arsip ZIP yang utuh: catatan akhirnya tidak ada."
    )
