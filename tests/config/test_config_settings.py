from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from netra.config.env import env_bool, env_int, env_list, env_str, parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_env_helpers_read_typed_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETRA_X_BOOL", "Yes")
    monkeypatch.setenv("NETRA_X_INT", "42")
    monkeypatch.setenv("NETRA_X_LIST", "a.example, b.example,,")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("NETRA_X_SECRET_FILE", str(secret))
    assert env_bool("NETRA_X_BOOL", False) is True
    assert env_int("NETRA_X_INT", 0) == 42
    assert env_list("NETRA_X_LIST", []) == ["a.example", "b.example"]
    assert env_str("NETRA_X_SECRET") == "from-a-file"
    assert env_str("NETRA_X_UNSET", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("name", "value", "call", "message"),
    [
        ("NETRA_X", "maybe", lambda: env_bool("NETRA_X", False), "NETRA_X must be one of"),
        ("NETRA_X", "1.5", lambda: env_int("NETRA_X", 0), "NETRA_X must be a whole number"),
        ("NETRA_Y", None, lambda: env_str("NETRA_Y"), "NETRA_Y must be set"),
    ],
)
def test_env_helpers_fail_loudly_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str | None, call: object, message: str
) -> None:
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        call()  # type: ignore[operator]


def test_database_urls_parse_for_sqlite_and_postgresql() -> None:
    lite = parse_database_url("sqlite:////srv/netra/db.sqlite3")
    assert (lite.engine, lite.name) == ("django.db.backends.sqlite3", "/srv/netra/db.sqlite3")
    pg = parse_database_url("postgres://netra:p%40ss@db.internal:5433/netra?sslmode=require")
    assert (pg.engine, pg.name, pg.user, pg.password, pg.host, pg.port, pg.options) == (
        "django.db.backends.postgresql",
        "netra",
        "netra",
        "p@ss",
        "db.internal",
        "5433",
        (("sslmode", "require"),),
    )
    with pytest.raises(ImproperlyConfigured, match="scheme 'mysql' is not supported"):
        parse_database_url("mysql://x/y")
    with pytest.raises(ImproperlyConfigured, match="needs a database name"):
        parse_database_url("postgres://host/")


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NETRA_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603 — fixed interpreter and arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "NETRA_ENV": "production",
    "NETRA_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "NETRA_ALLOWED_HOSTS": "netra.bawaslu.example",
}


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "NETRA_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("NETRA_SECRET_KEY", "NETRA_SECRET_KEY must be set"),
        ("NETRA_ALLOWED_HOSTS", "NETRA_ALLOWED_HOSTS must name the public host name"),
    ],
)
def test_production_refuses_to_start_without_its_required_variables(
    tmp_path: Path, missing: str, message: str
) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", env={**env, "NETRA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_short_production_secret_is_refused(tmp_path: Path) -> None:
    result = _manage(
        "check", env={**PRODUCTION, "NETRA_SECRET_KEY": "short", "NETRA_VAR_DIR": str(tmp_path)}
    )
    assert "NETRA_SECRET_KEY must be at least 50 characters" in result.stderr


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    result = _manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        env={"NETRA_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.strip().splitlines()[-1] == "wal", result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "NETRA_SECRET_KEY",
            "django-insecure-netra-development-key-never-use-in-production",
            "NETRA_SECRET_KEY must not be the public development key in production",
        ),
        (
            "NETRA_SECRET_KEY",
            "django-insecure-" + "x" * 50,
            "NETRA_SECRET_KEY must not be the public development key in production",
        ),
        ("NETRA_DEBUG", "1", "NETRA_DEBUG must be off in production"),
    ],
)
def test_production_refuses_to_start_with_the_development_key_or_debug_on(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = _manage("check", env={**PRODUCTION, variable: value, "NETRA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_debug_is_off_by_default_in_development(tmp_path: Path) -> None:
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.NETRA_ENV, settings.DEBUG)",
        env={"NETRA_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.strip().splitlines()[-1] == "development False", result.stderr
