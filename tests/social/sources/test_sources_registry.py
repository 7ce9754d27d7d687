"""The registry of sources: one home per platform, registering from outside, settings.

A platform's knowledge lives in its source folder's manifest; the generic modules that
use it (detection, polling, the API client, manual entry) name no platform at all.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Any

import pytest

import netra
from netra.core.platforms import Platform
from netra.social.collect.http import api_config
from netra.social.sources import registry
from netra.social.sources.records import (
    FormatSpec,
    LiveApi,
    PlatformSpec,
    Setting,
    SourceManifest,
)
from netra.social.sources.x import MANIFEST as X_MANIFEST
from netra.social.sources.x import capture as x_capture
from tests.social import fake_platform

ROOT = Path(netra.__file__).parent
# The modules that serve every platform alike.
GENERIC = [
    ROOT / "social/sources/detect.py",
    ROOT / "social/sources/zips.py",
    ROOT / "social/zipped.py",
    ROOT / "social/collect/services.py",
    ROOT / "social/collect/http.py",
    ROOT / "social/services.py",
]


def _platform_words() -> re.Pattern[str]:
    """Names and hosts of the platforms in prose or code (X alone is too short: see below)."""
    words = {"twitter", "meta", "zeeschuimer"}
    for value, label in Platform.choices:
        if value not in {Platform.X, Platform.OTHER}:
            words |= {value, str(label).casefold()}
    hosts = {host for spec in registry.platform_specs() if spec.links for host in spec.links.hosts}
    names = [rf"\b{re.escape(word)}\b" for word in sorted(words | hosts)]
    return re.compile("|".join(names), re.IGNORECASE)


def platform_names_in(path: Path) -> list[str]:
    """Each place a file names a platform: a word, a platform value as a string, a member."""
    found: list[str] = []
    words = _platform_words()
    with path.open("rb") as source:
        tokens = list(tokenize.tokenize(source.readline))
    for previous, token in zip([None, *tokens], tokens, strict=False):
        where = f"{path.name}:{token.start[0]}"
        if token.type in (tokenize.STRING, tokenize.COMMENT):
            found += [f"{where} {word}" for word in words.findall(token.string)]
            # "X" alone, as a word (X's API, X (Twitter)), in prose.
            found += [f"{where} X" for _match in re.finditer(r"(?<![\w-])X(?![\w-])", token.string)]
        if token.type == tokenize.STRING and token.string.strip("\"'brfBRF") in Platform.values:
            found.append(f"{where} {token.string}")
        if (
            token.type == tokenize.NAME
            and previous is not None
            and previous.string == "."
            and token.string in Platform.names
        ):
            found.append(f"{where} Platform.{token.string}")
    return found


def test_the_generic_modules_name_no_platform() -> None:
    assert [name for path in GENERIC for name in platform_names_in(path)] == []


def test_the_check_finds_a_platform_named_in_any_way(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'if platform == "x":  # X only\n'
        "    pass\n"
        "elif platform == Platform.YOUTUBE:\n"
        '    """TikTok too."""\n'
        'HOME = "https://x.com/"\n',
        encoding="utf-8",
    )

    assert platform_names_in(sample) == [
        'sample.py:1 "x"',
        "sample.py:1 X",
        "sample.py:3 Platform.YOUTUBE",
        "sample.py:4 TikTok",
        "sample.py:5 x.com",
    ]


def test_every_platform_has_exactly_one_home() -> None:
    homes = {
        spec.platform: [m.name for m in registry.MANIFESTS if spec in m.platforms]
        for spec in registry.platform_specs()
    }

    assert homes == {
        "x": ["x"],
        "facebook": ["meta"],
        "instagram": ["meta"],
        "threads": ["meta"],
        "tiktok": ["tiktok"],
        "youtube": ["youtube"],
    }
    assert set(homes) | {Platform.OTHER} == set(Platform.values)
    assert len(registry.platform_specs()) == len(homes)


def test_a_manifest_from_outside_is_known_while_registered() -> None:
    manifest = fake_platform.MANIFEST
    before = list(registry.FORMATS)

    with registry.registered(manifest):
        assert registry.MANIFESTS[-1] is manifest
        assert list(registry.FORMATS) == [*before, "kabarku-jsonl"]
        assert registry.platform_spec("kabarku") is manifest.platforms[0]
        assert registry.platform_names()["kabarku"] == "kabarku"
        assert [s.name for s in registry.source_settings()][-3:] == [
            "NETRA_KABARKU_API_URL",
            "NETRA_KABARKU_TOKEN",
            "NETRA_KABARKU_POLL_MINUTES",
        ]
        with pytest.raises(ValueError, match=r"source \['kabarku'\] already declared"):
            registry.register(manifest)

    assert list(registry.FORMATS) == before
    assert registry.platform_spec("kabarku") is None
    assert "kabarku" not in registry.platform_names()
    with pytest.raises(ValueError, match="not in list"):
        registry.unregister(manifest)


def _live(**changes: object) -> LiveApi:
    live = LiveApi(
        collector="tests.social.fake_platform.collect:KabarkuCollector",
        url=Setting("NETRA_UJI_API_URL", "https://api.uji.example"),
        credential=Setting("NETRA_UJI_TOKEN", ""),
        poll_minutes=Setting("NETRA_UJI_POLL_MINUTES", 5),
    )
    return dataclasses.replace(live, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("manifest", "refusal"),
    [
        (
            SourceManifest(
                "uji", "uji", (FormatSpec("x-v2-json", "salinan", X_MANIFEST.formats[0].parse),)
            ),
            r"manifest 'uji': format \['x-v2-json'\] already declared",
        ),
        (
            SourceManifest("uji", "x", (), platforms=(PlatformSpec("x"),)),
            r"manifest 'uji': platform \['x'\] already declared",
        ),
        (
            SourceManifest(
                "uji",
                "uji",
                (),
                platforms=(PlatformSpec("uji", captures=(("x.com", x_capture.tweet),)),),
            ),
            r"manifest 'uji': capture \['x.com'\] already declared",
        ),
        (
            SourceManifest(
                "uji",
                "uji",
                (),
                platforms=(
                    PlatformSpec("uji", live=_live(url=Setting("NETRA_X_API_URL", "https://x"))),
                ),
            ),
            r"manifest 'uji': setting \['NETRA_X_API_URL'\] already declared",
        ),
        (
            SourceManifest(
                "uji",
                "uji",
                (),
                platforms=(PlatformSpec("uji", live=_live(credential=Setting("SECRET_KEY", ""))),),
            ),
            r"manifest 'uji': setting 'SECRET_KEY' is no NETRA_…",
        ),
        (
            SourceManifest(
                "uji", "uji", (), platforms=(PlatformSpec("uji", live=_live(collector="uji")),)
            ),
            r"manifest 'uji': collector 'uji' is no module:name",
        ),
    ],
)
def test_a_manifest_may_not_claim_what_another_holds(
    manifest: SourceManifest, refusal: str
) -> None:
    before = registry.manifests()

    with pytest.raises(ValueError, match=refusal):
        registry.register(manifest)

    assert registry.manifests() == before


def test_every_source_setting_is_documented_with_its_default() -> None:
    text = (ROOT.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `NETRA_")]

    missing = []
    for setting in registry.source_settings():
        row = next((r for r in rows if f"`{setting.name}`" in r), "")
        default = f"`{setting.default}`" if setting.default != "" else "—"
        if default not in row:
            missing.append(setting.name)
    assert missing == []


def _settings_of(**environ: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.NETRA_X_API_URL, settings.NETRA_X_POLL_MINUTES + 1, "
        "repr(settings.NETRA_TIKTOK_ACCESS_TOKEN), settings.NETRA_YOUTUBE_POLL_MINUTES)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "netra.config.settings", **environ}
    for name in ("NETRA_X_API_URL", "NETRA_X_POLL_MINUTES", "NETRA_TIKTOK_ACCESS_TOKEN"):
        if name not in environ:
            env.pop(name, None)
    return subprocess.run(  # noqa: S603 - this interpreter, our own settings
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_source_settings_come_from_the_environment_with_their_defaults(tmp_path: Path) -> None:
    token = tmp_path / "tiktok-token"
    token.write_text("clt.rahasia\n", encoding="utf-8")

    default = _settings_of()
    given = _settings_of(
        NETRA_X_API_URL="http://127.0.0.1:9",
        NETRA_X_POLL_MINUTES="5",
        NETRA_TIKTOK_ACCESS_TOKEN_FILE=str(token),
    )

    assert default.stdout == "https://api.x.com 16 '' 240\n"
    assert given.stdout == "http://127.0.0.1:9 6 'clt.rahasia' 240\n"


def test_a_bad_source_setting_stops_netra_at_start_up() -> None:
    refused = _settings_of(NETRA_X_POLL_MINUTES="seperempat jam")

    assert refused.returncode != 0
    assert (
        "ImproperlyConfigured: NETRA_X_POLL_MINUTES must be a whole number, not 'seperempat jam'"
    ) in refused.stderr


def test_the_api_of_each_platform_is_configured_from_its_manifest(settings: Any) -> None:
    settings.NETRA_YOUTUBE_API_KEY = "kunci-uji"
    settings.NETRA_X_BEARER_TOKEN = ""

    youtube = api_config("youtube")
    x = api_config("x")

    assert (youtube.base_url, dict(youtube.headers), youtube.configured) == (
        settings.NETRA_YOUTUBE_API_URL,
        {"X-Goog-Api-Key": "kunci-uji"},
        True,
    )
    assert (dict(x.headers), x.configured, x.reset_header) == (
        {"Authorization": "Bearer "},
        False,
        "x-rate-limit-reset",
    )
    with pytest.raises(LookupError):
        api_config("facebook")
