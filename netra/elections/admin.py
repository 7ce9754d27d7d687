"""Elections, their stages and candidates in the admin (files go through ``elections_import``)."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from netra.core.admin import AdminEventKinds, AdminEventsMixin
from netra.elections.events import ElectionsEvent
from netra.elections.models import Candidate, CandidateAccount, Election, Stage
from netra.staff.access import scope_to_user


class StageInline(admin.TabularInline[Stage, Election]):
    model = Stage
    extra = 0
    fields = ["kind", "name", "starts_on", "ends_on"]


class CandidateInline(admin.TabularInline[Candidate, Election]):
    model = Candidate
    extra = 0
    fields = ["number", "name", "running_mate", "party_or_coalition", "independent"]
    show_change_link = True


@admin.register(Election)
class ElectionAdmin(AdminEventsMixin[Election], admin.ModelAdmin[Election]):
    event_kinds = AdminEventKinds(
        ElectionsEvent.ELECTION_CREATED,
        ElectionsEvent.ELECTION_CHANGED,
        ElectionsEvent.ELECTION_DELETED,
    )
    list_display = ["name", "slug", "regime", "type", "region", "year"]
    list_filter = ["regime", "type", "year"]
    search_fields = ["slug", "name", "^region__code"]
    autocomplete_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["region"]
    inlines = [StageInline, CandidateInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Election]:
        return scope_to_user(super().get_queryset(request), request.user, "region_id")


class CandidateAccountInline(admin.TabularInline[CandidateAccount, Candidate]):
    model = CandidateAccount
    extra = 0
    fields = ["platform", "handle", "url", "is_campaign_team"]


@admin.register(Candidate)
class CandidateAdmin(AdminEventsMixin[Candidate], admin.ModelAdmin[Candidate]):
    event_kinds = AdminEventKinds(
        ElectionsEvent.CANDIDATE_CREATED,
        ElectionsEvent.CANDIDATE_CHANGED,
        ElectionsEvent.CANDIDATE_DELETED,
    )
    list_display = ["__str__", "election", "party_or_coalition", "independent"]
    list_filter = ["election", "independent"]
    search_fields = ["name", "running_mate", "party_or_coalition", "election__name"]
    autocomplete_fields = ["election"]
    list_select_related = ["election"]
    # The registry adds the inline of subjects' relations (registry/admin.py): it sits a
    # row above elections, which never import it.
    inlines = [CandidateAccountInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Candidate]:
        return scope_to_user(super().get_queryset(request), request.user, "election__region_id")
