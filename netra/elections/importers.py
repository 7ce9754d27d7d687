"""Reading an elections file (YAML or JSON) into typed, checked records.

The format is described in docs/elections-format.md. Nothing here writes: the
services module takes the checked document and stores it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from netra.core.platforms import Platform
from netra.elections.models import PILKADA_TYPES, ElectionType, StageKind
from netra.geo.models import CODE_REGEX, Level, Region
from netra.law.models import Regime

# An elections file holds a handful of elections; anything larger is a mistake.
MAX_FILE_BYTES = 5 * 1024 * 1024
FORMAT_VERSION = 1

# Election types whose region, when given, is a province / a regency or city.
_PROVINCE_TYPES = frozenset({ElectionType.GOVERNOR, ElectionType.DPRD_PROVINCE, ElectionType.DPD})
_REGENCY_TYPES = frozenset({ElectionType.REGENT, ElectionType.MAYOR, ElectionType.DPRD_REGENCY})


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file: where (a path in the document) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ElectionsImportError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found, in document order."""

    def __init__(self, path: Path, errors: list[ImportProblem]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(
            _("%(file)s tidak dapat diimpor: %(count)d kesalahan.")
            % {"file": path.name, "count": len(errors)}
        )


# --- field helpers ------------------------------------------------------------------------


def _fail(message: str) -> PydanticCustomError:
    # The message is a template to pydantic: braces would be read as placeholders.
    return PydanticCustomError("netra", message.replace("{", "(").replace("}", ")"))


def _choice(value: object, choices: type[Any]) -> str:
    values = [str(v) for v in choices.values]
    if not isinstance(value, str) or value.strip() not in values:
        raise _fail(_("harus salah satu dari: %(values)s") % {"values": ", ".join(values)})
    return value.strip()


def _iso_date(value: object) -> date:
    # YAML gives dates, JSON gives strings; a datetime or a bare number is a mistake.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise _fail(_("tanggal %(value)s tidak ada") % {"value": value.strip()}) from None
    raise _fail(_("harus berupa tanggal dengan format TTTT-BB-HH, misalnya 2024-11-27"))


def _region_code(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        # Unquoted in YAML, 35.10 is the number 35.1: the code is lost before we see it.
        raise _fail(
            _('kode wilayah harus ditulis sebagai teks dalam tanda kutip, misalnya "35.07"')
        )
    code = value.strip()
    if not code:
        return None
    if not re.fullmatch(CODE_REGEX, code):
        raise _fail(
            _("kode wilayah %(code)s tidak berbentuk PP, PP.KK, PP.KK.CC atau PP.KK.CC.DDDD")
            % {"code": code}
        )
    return code


def _text_list(values: list[str], *, strip: str = "") -> list[str]:
    seen: list[str] = []
    for value in values:
        cleaned = value.strip().lstrip(strip).strip()
        if not cleaned:
            raise _fail(_("butir daftar tidak boleh kosong"))
        if cleaned not in seen:
            seen.append(cleaned)
    return seen


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
RegionCode = Annotated[str | None, BeforeValidator(_region_code)]
Text = Annotated[str, Field(min_length=1, max_length=300)]


# --- the document schema -----------------------------------------------------------------


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class AccountIn(_Record):
    platform: str
    handle: str = Field(min_length=1, max_length=200)
    url: str = Field(default="", max_length=500)
    campaign_team: bool = False

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: object) -> str:
        return _choice(value, Platform)

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        handle = value.lstrip("@").strip()
        if not handle:
            raise _fail(_("nama akun tidak boleh kosong"))
        return handle

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError:
                raise _fail(_("tautan %(url)s tidak sah") % {"url": value}) from None
        return value


class StageIn(_Record):
    kind: str
    name: str = Field(default="", max_length=200)
    starts_on: IsoDate
    ends_on: IsoDate

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> str:
        return _choice(value, StageKind)

    @property
    def display_name(self) -> str:
        """The stage name, defaulting to the label of its kind."""
        return self.name or str(StageKind(self.kind).label)


class CandidateIn(_Record):
    number: int = Field(ge=1, le=999)
    name: str = Field(min_length=1, max_length=200)
    running_mate: str = Field(default="", max_length=200)
    party_or_coalition: str = Field(default="", max_length=300)
    independent: bool = False
    aliases: list[Text] = Field(default_factory=list)
    hashtags: list[Text] = Field(default_factory=list)
    slogans: list[Text] = Field(default_factory=list)
    accounts: list[AccountIn] = Field(default_factory=list)

    @field_validator("aliases", "slogans")
    @classmethod
    def _texts(cls, values: list[str]) -> list[str]:
        return _text_list(values)

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, values: list[str]) -> list[str]:
        tags = _text_list(values, strip="#")
        for tag in tags:
            if re.search(r"\s", tag):
                raise _fail(_("tagar %(tag)s tidak boleh berisi spasi") % {"tag": tag})
        return tags


class ElectionIn(_Record):
    slug: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    regime: str
    type: str
    region: RegionCode = None
    year: int = Field(ge=1955, le=2100)
    stages: list[StageIn] = Field(default_factory=list)
    candidates: list[CandidateIn] = Field(default_factory=list)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        try:
            validate_slug(value)
        except DjangoValidationError:
            raise _fail(
                _("kode %(slug)s hanya boleh berisi huruf, angka, tanda hubung dan garis bawah")
                % {"slug": value}
            ) from None
        return value

    @field_validator("regime", mode="before")
    @classmethod
    def _regime(cls, value: object) -> str:
        return _choice(value, Regime)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: object) -> str:
        return _choice(value, ElectionType)


class ElectionsDocument(_Record):
    version: int = FORMAT_VERSION
    elections: list[ElectionIn] = Field(min_length=1)

    @field_validator("version")
    @classmethod
    def _version(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise _fail(
                _("versi format %(value)s tidak dikenal; yang didukung: %(supported)s")
                % {"value": value, "supported": FORMAT_VERSION}
            )
        return value


# --- reading ------------------------------------------------------------------------------


class _DocumentError(Exception):
    """A file-level problem found while reading, before any schema check."""


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases (they let a small file expand enormously) or duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _DocumentError(
                _("YAML tidak sah pada baris %(line)d, kolom %(column)d: alias (*) tidak diizinkan")
                % {"line": mark.line + 1, "column": mark.column + 1}
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise _DocumentError(
                    _("YAML tidak sah pada baris %(line)d, kolom %(column)d: kunci %(key)s ganda")
                    % {"line": mark.line + 1, "column": mark.column + 1, "key": key}
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text until the schema reads them, so that 2024-02-30 is reported, not raised.
    return str(loader.construct_scalar(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DocumentError(_("JSON tidak sah: kunci %(key)s ganda") % {"key": key})
        result[key] = value
    return result


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _DocumentError(
            _(
                "berkas bukan teks UTF-8: byte 0x%(byte)02X pada posisi %(offset)d (baris "
                "%(line)d) tidak sah; simpan ulang berkas dengan pengodean UTF-8"
            )
            % {"byte": raw[exc.start], "offset": exc.start, "line": line}
        ) from None


def _is_json(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return True
    if suffix in {".yaml", ".yml"}:
        return False
    # Any other name: JSON documents start with a brace or a bracket; YAML never needs to.
    return text.lstrip()[:1] in {"{", "["}


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _DocumentError(
                _("berkas berukuran %(size)d byte, melebihi batas %(limit)d byte")
                % {"size": size, "limit": MAX_FILE_BYTES}
            )
        return path.read_bytes()
    except OSError:
        raise _DocumentError(_("berkas %(file)s tidak dapat dibaca") % {"file": path}) from None


def _load(path: Path, raw: bytes) -> Any:
    if b"\x00" in raw:
        raise _DocumentError(_("berkas berisi data biner, bukan YAML atau JSON"))
    text = _decode(raw)
    if _is_json(path, text):
        try:
            return json.loads(text, object_pairs_hook=_json_pairs)
        except json.JSONDecodeError as exc:
            raise _DocumentError(
                _("JSON tidak sah pada baris %(line)d, kolom %(column)d")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            raise _DocumentError(_("YAML tidak sah")) from None
        raise _DocumentError(
            _("YAML tidak sah pada baris %(line)d, kolom %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
        ) from None
    except yaml.YAMLError:
        raise _DocumentError(_("YAML tidak sah")) from None


# --- schema errors in Indonesian -----------------------------------------------------------


def _loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "netra":
        return error["msg"]
    simple = {
        "missing": _("wajib diisi"),
        "extra_forbidden": _("kunci tidak dikenal"),
        "string_type": _("harus berupa teks"),
        "int_type": _("harus berupa bilangan bulat"),
        "int_parsing": _("harus berupa bilangan bulat"),
        "int_from_float": _("harus berupa bilangan bulat"),
        "bool_type": _("harus bernilai true atau false"),
        "bool_parsing": _("harus bernilai true atau false"),
        "list_type": _("harus berupa daftar"),
        "model_type": _("harus berupa pemetaan kunci: nilai"),
        "model_attributes_type": _("harus berupa pemetaan kunci: nilai"),
        "dict_type": _("harus berupa pemetaan kunci: nilai"),
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_short":
        return _("tidak boleh kosong")
    if kind == "string_too_long":
        return _("paling banyak %(n)s karakter") % {"n": ctx.get("max_length")}
    if kind == "too_short":
        return _("harus berisi paling sedikit %(n)s butir") % {"n": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return _("paling kecil %(n)s") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("paling besar %(n)s") % {"n": ctx.get("le")}
    return _("nilai tidak sah (%(kind)s)") % {"kind": kind}


# --- checks that need the whole document or the database --------------------------------------


def _check_election(
    index: int, election: ElectionIn, regions: dict[str, Region]
) -> list[ImportProblem]:
    at = f"elections[{index}]"
    problems: list[ImportProblem] = []
    etype = ElectionType(election.type)
    expected_regime = Regime.PILKADA if etype in PILKADA_TYPES else Regime.PEMILU
    if election.regime != expected_regime:
        problems.append(
            ImportProblem(
                f"{at}.regime",
                _("jenis %(type)s (%(label)s) termasuk rezim %(expected)s, bukan %(regime)s")
                % {
                    "type": etype.value,
                    "label": etype.label,
                    "expected": expected_regime.value,
                    "regime": election.regime,
                },
            )
        )
    problems.extend(_check_region(at, etype, election.region, regions))

    stage_keys: dict[tuple[str, str], int] = {}
    for i, stage in enumerate(election.stages):
        if stage.ends_on < stage.starts_on:
            problems.append(
                ImportProblem(
                    f"{at}.stages[{i}].ends_on",
                    _("tanggal selesai %(end)s lebih awal dari tanggal mulai %(start)s")
                    % {"end": stage.ends_on.isoformat(), "start": stage.starts_on.isoformat()},
                )
            )
        key = (stage.kind, stage.display_name)
        if key in stage_keys:
            problems.append(
                ImportProblem(
                    f"{at}.stages[{i}]",
                    _("tahapan %(kind)s bernama %(name)s sudah ada di %(other)s")
                    % {"kind": key[0], "name": key[1], "other": f"{at}.stages[{stage_keys[key]}]"},
                )
            )
        else:
            stage_keys[key] = i

    numbers: dict[int, int] = {}
    for i, candidate in enumerate(election.candidates):
        here = f"{at}.candidates[{i}]"
        if candidate.number in numbers:
            problems.append(
                ImportProblem(
                    f"{here}.number",
                    _("nomor urut %(number)d sudah dipakai oleh %(other)s")
                    % {
                        "number": candidate.number,
                        "other": f"{at}.candidates[{numbers[candidate.number]}]",
                    },
                )
            )
        else:
            numbers[candidate.number] = i
        if candidate.independent and candidate.party_or_coalition:
            problems.append(
                ImportProblem(
                    f"{here}.party_or_coalition",
                    _("calon perseorangan (independent: true) tidak diusung partai; kosongkan")
                    + " party_or_coalition",
                )
            )
        accounts: dict[tuple[str, str], int] = {}
        for j, account in enumerate(candidate.accounts):
            key = (account.platform, account.handle.casefold())
            if key in accounts:
                problems.append(
                    ImportProblem(
                        f"{here}.accounts[{j}]",
                        _("akun %(platform)s @%(handle)s sudah tercantum di %(other)s")
                        % {
                            "platform": account.platform,
                            "handle": account.handle,
                            "other": f"{here}.accounts[{accounts[key]}]",
                        },
                    )
                )
            else:
                accounts[key] = j
    return problems


def _check_region(
    at: str, etype: ElectionType, code: str | None, regions: dict[str, Region]
) -> list[ImportProblem]:
    path = f"{at}.region"
    if etype == ElectionType.PRESIDENT:
        if code is not None:
            return [ImportProblem(path, _("pemilihan presiden bersifat nasional; hapus wilayah"))]
        return []
    if code is None:
        if etype in PILKADA_TYPES:
            return [
                ImportProblem(path, _("wajib diisi untuk jenis %(type)s") % {"type": etype.value})
            ]
        return []
    region = regions.get(code)
    if region is None:
        return [
            ImportProblem(
                path, _("kode wilayah %(code)s tidak ada dalam data wilayah") % {"code": code}
            )
        ]
    if etype in _PROVINCE_TYPES and region.level != Level.PROVINCE:
        return [
            ImportProblem(
                path,
                _("jenis %(type)s memerlukan wilayah provinsi, bukan %(region)s")
                % {"type": etype.value, "region": region},
            )
        ]
    if etype in _REGENCY_TYPES and region.level != Level.REGENCY:
        return [
            ImportProblem(
                path,
                _("jenis %(type)s memerlukan wilayah kabupaten/kota, bukan %(region)s")
                % {"type": etype.value, "region": region},
            )
        ]
    # Kemendagri numbers kabupaten 01-69 and kota 71-99 (Permendagri 58/2021).
    is_city = region.level == Level.REGENCY and int(code[3:5]) >= 70
    if etype == ElectionType.REGENT and is_city:
        return [
            ImportProblem(
                path,
                _("%(region)s adalah kota; pemilihan bupati (regent) hanya di kabupaten")
                % {"region": region},
            )
        ]
    if etype == ElectionType.MAYOR and not is_city:
        return [
            ImportProblem(
                path,
                _("%(region)s adalah kabupaten; pemilihan wali kota (mayor) hanya di kota")
                % {"region": region},
            )
        ]
    return []


def elections_document_read(path: Path) -> tuple[ElectionsDocument, str]:
    """Read and check an elections file without writing anything.

    Returns the typed document and the SHA-256 of the bytes it was read from, when
    the file is wholly valid. Raises
    ``ElectionsImportError`` listing every problem with its path in the document
    (``elections[0].candidates[2].number``); checks that need the database (region
    codes) are included.
    """
    try:
        raw = _read(path)
        data = _load(path, raw)
    except _DocumentError as exc:
        raise ElectionsImportError(path, [ImportProblem("", str(exc))]) from None
    if not isinstance(data, dict):
        raise ElectionsImportError(
            path,
            [ImportProblem("", _("isi berkas harus berupa pemetaan dengan kunci elections"))],
        )
    try:
        document = ElectionsDocument.model_validate(data)
    except PydanticValidationError as exc:
        problems = [ImportProblem(_loc(tuple(e["loc"])), _message(e)) for e in exc.errors()]
        raise ElectionsImportError(path, problems) from None

    codes = {e.region for e in document.elections if e.region is not None}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    problems = []
    slugs: dict[str, int] = {}
    for index, election in enumerate(document.elections):
        if election.slug in slugs:
            problems.append(
                ImportProblem(
                    f"elections[{index}].slug",
                    _("kode %(slug)s sudah dipakai oleh %(other)s")
                    % {"slug": election.slug, "other": f"elections[{slugs[election.slug]}]"},
                )
            )
        else:
            slugs[election.slug] = index
        problems.extend(_check_election(index, election, regions))
    if problems:
        raise ElectionsImportError(path, problems)
    return document, hashlib.sha256(raw).hexdigest()
