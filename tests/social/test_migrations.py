"""Data migrations of social, run on rows as earlier releases left them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from netra.social.models import Account

pytestmark = pytest.mark.django_db


def test_tiktok_research_accounts_lose_the_username_stored_as_their_id() -> None:
    migration = importlib.import_module(
        "netra.social.migrations.0008_tiktok_research_accounts_by_handle"
    )
    research = Account.objects.create(
        platform="tiktok", platform_id="Siti_Contoh", handle="siti_contoh"
    )
    captured = Account.objects.create(
        platform="tiktok", platform_id="6900000000000000001", handle="agus"
    )
    numeric = Account.objects.create(platform="tiktok", platform_id="12345", handle="12345")
    other = Account.objects.create(platform="x", platform_id="warga", handle="warga")

    migration.forwards(apps, None)

    research.refresh_from_db()
    assert research.platform_id == ""
    for kept, platform_id in (
        (captured, "6900000000000000001"),
        (numeric, "12345"),
        (other, "warga"),
    ):
        kept.refresh_from_db()
        assert kept.platform_id == platform_id
