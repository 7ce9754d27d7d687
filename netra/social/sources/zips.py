"""Export archives in ZIP (a platform's "download your data"), opened where they lie:
which members are read, in which format, and why each other member is not.

``open_zip`` checks an archive before anything is read from it and ``ZipPlan`` says, for
every member, either the format it is read in or the reason it is not; ``extract`` copies
one member out under a name of Netra's own. Nothing here touches the database: loading
the members is ``netra.social.zipped``.

What an archive may not do, and what becomes of it:

* more than ``MAX_MEMBERS`` members, or a central directory over ``MAX_DIRECTORY_BYTES``:
  the archive is refused before its directory is read (the counts come from its end
  record, zip64 included), so a directory of millions of entries costs no memory;
* a member read may not unpack to more than ``MAX_MEMBER_BYTES``, all members read
  together to more than ``MAX_TOTAL_BYTES``, and a member over ``RATIO_FROM_BYTES`` may
  not unpack to more than ``MAX_RATIO`` times its packed size (a zip bomb's ratio runs
  to the thousands; JSON packs about ten to one): such a member is not read, and says
  why. The sizes the directory declares are checked first and the bytes really unpacked
  are counted while copying (``zipfile`` stops at the declared size and checks the CRC);
* no member's name is used as a path: a name that is absolute, climbs out (``..``),
  names a drive or holds a NUL is not read, nor is a symbolic link, an encrypted member
  or one packed by a method Python cannot unpack;
* media (photos, videos, audio), the archive's HTML pages and styles, and archives
  inside the archive are not read: they hold no records Netra reads;
* a member whose name says data (``.js``, ``.json``, ``.jsonl``, ``.ndjson``, ``.csv``,
  ``.tsv``) is read when detection (``detect.identify``) knows its first bytes, else it
  is not read with what was seen in it.

Every member that is not read is listed with its reason: nothing in an archive is passed
over in silence.
"""

from __future__ import annotations

import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

from netra.social.sources.detect import HEAD_BYTES, Seen, identify

ZIP_MAGIC = b"PK\x03\x04"
# An archive of one empty member, or of none at all, starts with its end record.
EMPTY_ZIP_MAGIC = b"PK\x05\x06"

MAX_MEMBERS = 100_000
MAX_DIRECTORY_BYTES = 64 * 1024 * 1024
MAX_MEMBER_BYTES = 4 * 1024**3
MAX_TOTAL_BYTES = 16 * 1024**3
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024

DATA_SUFFIXES = frozenset({".js", ".json", ".jsonl", ".ndjson", ".jl", ".csv", ".tsv"})
_MEDIA_SUFFIXES = frozenset(
    {
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".svg", ".ico",
        ".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv", ".3gp",
        ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".wav",
    }
)  # fmt: skip
_PAGE_SUFFIXES = frozenset({".html", ".htm", ".css", ".txt", ".map", ".woff", ".woff2", ".ttf"})
_ARCHIVE_SUFFIXES = frozenset({".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz"})
_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
# What reading a broken member may raise (zipfile checks the CRC at its end).
BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)

_END = struct.Struct("<4s4H2LH")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END_SIGNATURE = b"PK\x05\x06"
_END64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_END64_SIGNATURE = b"PK\x06\x06"


class ZipRefused(ValueError):
    """The archive as a whole cannot be opened; the message says why, in Indonesian."""


def is_zip(head: bytes) -> bool:
    """Whether a file's first bytes are those of a ZIP archive."""
    return head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC))


@dataclass(frozen=True, slots=True)
class Member:
    """One member of an archive and what becomes of it: read as ``format``, or not read
    for ``reason``."""

    info: zipfile.ZipInfo
    format: str = ""
    reason: str = ""

    @property
    def name(self) -> str:
        return self.info.filename


@dataclass(frozen=True, slots=True)
class ZipPlan:
    """What an archive holds: the members read (in archive order) and the others."""

    read: list[Member]
    skipped: list[Member]


def _directory(stream: IO[bytes]) -> tuple[int, int]:
    """The number of members and the size of the central directory, from the end record."""
    stream.seek(0, 2)
    size = stream.tell()
    tail_size = min(size, _END.size + 0xFFFF)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END.size:
        raise ZipRefused(_("bukan arsip ZIP yang utuh: catatan akhirnya tidak ada"))
    fields = _END.unpack_from(tail, at)
    members, directory = fields[4], fields[5]
    locator = at - _END64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == _END64_LOCATOR_SIGNATURE:
        offset = _END64_LOCATOR.unpack_from(tail, locator)[2]
        stream.seek(offset)
        record = stream.read(56)
        if record[:4] == _END64_SIGNATURE and len(record) == 56:
            members, directory = struct.unpack_from("<QQ", record, 32)
    return members, directory


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, opened once its end record shows it within the limits.

    Raises ``ZipRefused`` for an archive with too many members, too large a directory, or
    that is no readable ZIP archive.
    """
    try:
        with path.open("rb") as stream:
            members, directory = _directory(stream)
        if members > MAX_MEMBERS or directory > MAX_DIRECTORY_BYTES:
            raise ZipRefused(
                _(
                    "arsip berisi %(members)d berkas (daftar isinya %(mib)d MiB); paling "
                    "banyak %(max)d berkas yang dibuka. Ekstrak dulu dan muat berkas data "
                    "di dalamnya"
                )
                % {
                    "members": members,
                    "mib": directory // (1024 * 1024),
                    "max": MAX_MEMBERS,
                }
            )
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, struct.error) as error:
        raise ZipRefused(_("bukan arsip ZIP yang utuh (%(error)s)") % {"error": error}) from None


def is_office_document(archive: zipfile.ZipFile) -> bool:
    """Whether an archive is an office document: OOXML (.xlsx, .docx) holds
    ``[Content_Types].xml``, OpenDocument (.ods) starts with ``mimetype``."""
    names = archive.namelist()
    return "[Content_Types].xml" in names or names[:1] == ["mimetype"]


def unsafe_name(name: str) -> bool:
    """Whether a member's name could point outside a folder it were extracted into."""
    if "\x00" in name:
        return True
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    return posix.startswith("/") or ":" in (parts[0] if parts else "") or ".." in parts


def _not_read(info: zipfile.ZipInfo) -> str:
    """Why a member is not read whatever it holds; ``""`` for one that may be."""
    suffix = PurePosixPath(info.filename).suffix.lower()
    if unsafe_name(info.filename):
        return _("nama berkas tidak aman (mutlak, naik ke luar folder, atau berisi NUL)")
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("tautan simbolik")
    if info.flag_bits & 0x1:
        return _("terenkripsi")
    if info.compress_type not in _METHODS:
        return _("dimampatkan dengan metode %(method)d yang tidak didukung") % {
            "method": info.compress_type
        }
    if suffix in _MEDIA_SUFFIXES:
        return _("media (foto, video, suara)")
    if suffix in _PAGE_SUFFIXES:
        return _("halaman, gaya tampilan atau teks penyerta arsip")
    if suffix in _ARCHIVE_SUFFIXES:
        return _("arsip di dalam arsip, tidak dibuka")
    if suffix not in DATA_SUFFIXES:
        return _("bukan berkas data (%(suffix)s)") % {"suffix": suffix or _("tanpa akhiran")}
    if info.file_size > MAX_MEMBER_BYTES:
        return _("terlalu besar: %(size)d MiB setelah dibuka, paling banyak %(max)d MiB") % {
            "size": info.file_size // (1024 * 1024),
            "max": MAX_MEMBER_BYTES // (1024 * 1024),
        }
    if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        return _(
            "rasio pemampatan %(ratio)d:1 melebihi %(max)d:1 (mungkin bom zip), tidak dibuka"
        ) % {"ratio": info.file_size // max(info.compress_size, 1), "max": MAX_RATIO}
    return ""


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as stream:
        return stream.read(HEAD_BYTES)


def plan(archive: zipfile.ZipFile) -> ZipPlan:
    """Which members of an archive are read and in which format, and why the others are not.

    Folders are no members. A data member whose first bytes detection knows is read in
    that format, up to ``MAX_TOTAL_BYTES`` unpacked for the whole archive.
    """
    read: list[Member] = []
    skipped: list[Member] = []
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        reason = _not_read(info)
        if not reason and total + info.file_size > MAX_TOTAL_BYTES:
            reason = _("batas %(max)d GiB isi arsip yang dibuka terlampaui") % {
                "max": MAX_TOTAL_BYTES // 1024**3
            }
        if reason:
            skipped.append(Member(info, reason=reason))
            continue
        try:
            found = identify(_head(archive, info), PurePosixPath(info.filename).name)
        except BROKEN as error:
            skipped.append(Member(info, reason=_("rusak (%(error)s)") % {"error": error}))
            continue
        if isinstance(found, Seen):
            skipped.append(
                Member(info, reason=_("format tidak dikenali: %(seen)s") % {"seen": found.seen})
            )
            continue
        total += info.file_size
        read.append(Member(info, format=found))
    return ZipPlan(read, skipped)


def extract(archive: zipfile.ZipFile, member: Member, folder: Path, index: int) -> Path:
    """Copy one member into ``folder`` under a name of Netra's own that keeps its file
    name's end (detection reads the extension), counting what is really unpacked.

    Raises ``ZipRefused`` when the member unpacks to more than it declared or is broken.
    """
    name = PurePosixPath(member.name.replace("\\", "/")).name
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-100:]
    target = folder / f"{index:06d}-{safe}"
    written = 0
    try:
        with archive.open(member.info) as source, target.open("wb") as out:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                written += len(chunk)
                if written > member.info.file_size or written > MAX_MEMBER_BYTES:
                    raise ZipRefused(
                        _("membuka lebih dari %(size)d byte yang disebutnya")
                        % {"size": member.info.file_size}
                    )
                out.write(chunk)
    except BROKEN as error:
        target.unlink(missing_ok=True)
        raise ZipRefused(_("rusak (%(error)s)") % {"error": error}) from None
    except ZipRefused:
        target.unlink(missing_ok=True)
        raise
    return target


def grouped(members: list[Member]) -> Iterator[tuple[str, int, str]]:
    """Members not read as (what, how many, why): one line per folder and reason, a
    member alone in its group by its own name."""
    groups: dict[tuple[str, str], list[str]] = {}
    for member in members:
        folder = str(PurePosixPath(member.name).parent)
        groups.setdefault((folder, member.reason), []).append(member.name)
    for (folder, reason), names in groups.items():
        if len(names) == 1:
            yield names[0], 1, reason
        else:
            yield (folder + "/" if folder != "." else "./"), len(names), reason
