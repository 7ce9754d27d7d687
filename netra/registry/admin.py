"""Agencies, subjects and account links in the admin, scoped to the admin's jurisdiction.

Rosters go through ``netra registry import``. Account links change state only through
``account_link_propose`` and ``account_link_decide`` (the admin's actions), never by
editing the status field.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.core.admin import AdminEventKinds, AdminEventsMixin
from netra.elections.admin import CandidateAccountInline, CandidateAdmin
from netra.elections.models import Candidate
from netra.registry.events import RegistryEvent
from netra.registry.models import AccountLink, Agency, CandidateRelation, LinkStatus, Subject
from netra.registry.selectors import agencies_for_user, subjects_for_user
from netra.registry.services import AccountLinkError, account_link_decide, account_link_propose
from netra.staff.access import scope_to_user
from netra.staff.models import User


class AccountLinkInline(admin.TabularInline[AccountLink, Subject]):
    """Read-only here: links are proposed and decided on their own page."""

    model = AccountLink
    extra = 0
    fields = ["account", "status", "confidence", "proof", "decided_by", "decided_at"]
    readonly_fields = ["account", "status", "confidence", "proof", "decided_by", "decided_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CandidateRelationInline(admin.TabularInline[CandidateRelation, Subject]):
    model = CandidateRelation
    extra = 0
    fields = ["candidate", "relation"]
    autocomplete_fields = ["candidate"]


@admin.register(Agency)
class AgencyAdmin(AdminEventsMixin[Agency], admin.ModelAdmin[Agency]):
    event_kinds = AdminEventKinds(
        RegistryEvent.AGENCY_CREATED, RegistryEvent.AGENCY_CHANGED, RegistryEvent.AGENCY_DELETED
    )
    list_display = ["name", "region"]
    search_fields = ["name", "^region__code", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Agency]:
        return agencies_for_user(request.user).order_by("region_id", "name")


@admin.register(Subject)
class SubjectAdmin(AdminEventsMixin[Subject], admin.ModelAdmin[Subject]):
    event_kinds = AdminEventKinds(
        RegistryEvent.SUBJECT_CREATED, RegistryEvent.SUBJECT_CHANGED, RegistryEvent.SUBJECT_DELETED
    )
    list_display = ["full_name", "kind", "nip", "nrp", "position", "agency", "workplace"]
    list_filter = ["kind"]
    # Prefix search on the identifiers: a NIP starts with the birth date.
    search_fields = ["full_name", "^nip", "^nrp"]
    # ~91,000 regions and many agencies: pick them by search, never from a full <select>.
    autocomplete_fields = ["agency", "workplace"]
    list_select_related = ["agency", "workplace"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AccountLinkInline, CandidateRelationInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Subject]:
        return subjects_for_user(request.user).order_by("full_name")


LINK_FIELDS = ["subject", "account", "confidence", "proof", "status", "decided_by", "decided_at"]


@admin.register(AccountLink)
class AccountLinkAdmin(admin.ModelAdmin[AccountLink]):
    list_display = ["subject", "account", "status", "confidence", "decided_by", "decided_at"]
    list_filter = ["status", "account__platform"]
    search_fields = ["subject__full_name", "^subject__nip", "account__handle"]
    autocomplete_fields = ["subject", "account"]
    list_select_related = ["subject", "account", "decided_by"]
    fields = ("subject", "account", "confidence", "proof", "status", "decided_by", "decided_at")
    actions = ["confirm_links", "reject_links"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[AccountLink]:
        return scope_to_user(super().get_queryset(request), request.user, "subject__workplace_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["status", "decided_by", "decided_at"]
        if obj.status == LinkStatus.PROPOSED:
            return ["subject", "account", "status", "decided_by", "decided_at"]
        return LINK_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A wrong claim is rejected, not erased: the decision is part of the record.
        return False

    def save_model(self, request: HttpRequest, obj: AccountLink, form: Any, change: bool) -> None:
        link = account_link_propose(
            subject=obj.subject,
            account=obj.account,
            confidence=obj.confidence,
            proof=obj.proof,
            actor=cast(User, request.user),
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the stored row.
        obj.pk = link.pk
        obj._state.adding = False

    def _decide(
        self, request: HttpRequest, queryset: models.QuerySet[AccountLink], status: LinkStatus
    ) -> None:
        done = 0
        for link in queryset.select_related("subject", "account"):
            try:
                account_link_decide(link=link, status=status, actor=cast(User, request.user))
            except AccountLinkError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("%(count)d tautan diputuskan: %(status)s.")
                % {"count": done, "status": status.label},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Konfirmasi tautan terpilih"))
    def confirm_links(self, request: HttpRequest, queryset: models.QuerySet[AccountLink]) -> None:
        self._decide(request, queryset, LinkStatus.CONFIRMED)

    @admin.action(description=gettext_lazy("Tolak tautan terpilih"))
    def reject_links(self, request: HttpRequest, queryset: models.QuerySet[AccountLink]) -> None:
        self._decide(request, queryset, LinkStatus.REJECTED)


class SubjectRelationInline(admin.TabularInline[CandidateRelation, Candidate]):
    model = CandidateRelation
    extra = 0
    fields = ["subject", "relation"]
    autocomplete_fields = ["subject"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[CandidateRelation]:
        return scope_to_user(super().get_queryset(request), request.user, "subject__workplace_id")


class CandidateWithRelationsAdmin(CandidateAdmin):
    """The elections' candidate page, plus the subjects known to be tied to the candidate."""

    inlines = [CandidateAccountInline, SubjectRelationInline]


# Elections sit a row below the registry and cannot name this inline themselves.
admin.site.unregister(Candidate)
admin.site.register(Candidate, CandidateWithRelationsAdmin)
