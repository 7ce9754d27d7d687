"""The social-media platforms Netra knows: vocabulary that elections, social and registry share.

Adding a platform adds one value here and one folder under ``netra/social/sources/``
(docs/adding-a-platform.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    THREADS = "threads", "Threads"
    OTHER = "other", _("Lainnya")
