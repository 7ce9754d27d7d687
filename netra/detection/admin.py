"""Lexicon aliases in the admin: staff add the terms they see used for a candidate."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from netra.core.admin import AdminEventKinds, AdminEventsMixin
from netra.detection.events import DetectionEvent
from netra.detection.models import LexiconAlias
from netra.elections.models import Candidate
from netra.elections.selectors import elections_for_user


@admin.register(LexiconAlias)
class LexiconAliasAdmin(AdminEventsMixin[LexiconAlias], admin.ModelAdmin[LexiconAlias]):
    event_kinds = AdminEventKinds(
        DetectionEvent.ALIAS_ADDED,
        DetectionEvent.ALIAS_CHANGED,
        DetectionEvent.ALIAS_DELETED,
    )
    list_display = ["term", "kind", "candidate", "election", "added_by", "created_at"]
    list_filter = ["kind", "election"]
    search_fields = ["term"]
    fields = ["election", "candidate", "term", "kind", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    list_select_related = ["candidate", "election", "added_by"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[LexiconAlias]:
        return (
            super()
            .get_queryset(request)
            .filter(election__in=elections_for_user(request.user).values("pk"))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Only the elections the user works on, and their candidates.
        elections = elections_for_user(request.user)
        if db_field.name == "election":
            kwargs["queryset"] = elections
        elif db_field.name == "candidate":
            kwargs["queryset"] = Candidate.objects.filter(
                election__in=elections.values("pk")
            ).select_related("election")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: LexiconAlias, form: ModelForm[LexiconAlias], change: bool
    ) -> None:
        if not change and request.user.is_authenticated:
            obj.added_by_id = request.user.pk
        super().save_model(request, obj, form, change)
