"""Admin for offices and staff accounts, scoped by the admin's own jurisdiction, and
django-otp's device pages in Indonesian.

The admin edits rows directly, so each save records the Event a service would have.
Only superusers may grant superuser status, groups or single permissions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_otp.plugins.otp_static import admin as otp_static_admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.events import event_record
from netra.staff.access import scope_to_user
from netra.staff.events import StaffEvent
from netra.staff.models import Office, OfficeLevel, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["name", "level", "region"]
    list_filter = ["level"]
    search_fields = ["name", "^region__code", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    ordering = ["region_id", "name"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Office]:
        return scope_to_user(super().get_queryset(request), request.user, "region_id")

    def save_model(self, request: HttpRequest, obj: Office, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        event_record(
            kind=StaffEvent.OFFICE_CHANGED if change else StaffEvent.OFFICE_CREATED,
            subject=obj,
            actor=request.user,
            params={"name": obj.name, "level": obj.level, "region": obj.region_id},
        )


class OfficeLevelFilter(admin.SimpleListFilter):
    title = _("tingkat kantor")
    parameter_name = "tingkat_kantor"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in OfficeLevel.choices]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if self.value():
            return queryset.filter(office__level=self.value())
        return queryset


class StaffUserCreationForm(AdminUserCreationForm[User]):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email", "office", "role", "organisation")


class StaffUserChangeForm(UserChangeForm[User]):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


# Django stores a permission's name in English when it creates it ("Can add kantor"); the
# admin's permission pickers show these labels instead, for the four default permissions.
_DEFAULT_ACTIONS = {
    "add": _("Dapat menambah %(model)s"),
    "change": _("Dapat mengubah %(model)s"),
    "delete": _("Dapat menghapus %(model)s"),
    "view": _("Dapat melihat %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """``app | model | action`` in the active language; a custom permission keeps its name."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if (
        model is None
        or action not in _DEFAULT_ACTIONS
        or permission.codename != f"{action}_{model._meta.model_name}"
    ):
        return str(permission)
    app = apps.get_app_config(model._meta.app_label).verbose_name
    name = model._meta.verbose_name
    return f"{app} | {name} | {str(_DEFAULT_ACTIONS[action]) % {'model': name}}"


class PermissionLabelsMixin:
    """Permission pickers labelled by ``permission_label``, content types joined."""

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> Any:
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["queryset"] = Permission.objects.select_related("content_type")
        field = super().formfield_for_manytomany(  # type: ignore[misc]  # mixin before the admin
            db_field, request, **kwargs
        )
        if db_field.name in {"permissions", "user_permissions"} and field is not None:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class StaffGroupAdmin(PermissionLabelsMixin, DjangoGroupAdmin):
    pass


@admin.register(User)
class StaffUserAdmin(PermissionLabelsMixin, DjangoUserAdmin[User]):
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pribadi"), {"fields": ("full_name", "email")}),
        (_("Tugas"), {"fields": ("office", "role", "organisation")}),
        (
            _("Hak akses"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "office",
                    "role",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ["username", "full_name", "role", "office", "is_active", "is_staff"]
    list_filter = ["role", OfficeLevelFilter, "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name", "email", "organisation"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    ordering = ["username"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[User]:
        return scope_to_user(super().get_queryset(request), request.user, "office__region_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Without this any holder of change_user could make themselves superuser.
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:  # type: ignore[type-arg]
        if db_field.name == "office":
            kwargs["queryset"] = scope_to_user(Office.objects.all(), request.user, "region_id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        old_role = User.objects.filter(pk=obj.pk).values_list("role", flat=True).first()
        super().save_model(request, obj, form, change)
        if not change:
            event_record(
                kind=StaffEvent.USER_CREATED,
                subject=obj,
                actor=request.user,
                params={"username": obj.username, "office": obj.office_id, "role": obj.role},
            )
        elif old_role != obj.role:
            event_record(
                kind=StaffEvent.ROLE_CHANGED,
                subject=obj,
                actor=request.user,
                params={"from": old_role, "to": obj.role},
            )


# --- django-otp's device pages, in Indonesian -----------------------------------------------
# The model and field labels come translated through netra.staff.vendor and the catalogue;
# what django-otp's admin classes write as plain strings (fieldset titles, the search hint,
# the QR code column) is replaced here.


def _otp_fieldsets(fieldsets: Any) -> list[tuple[Any, Any]]:
    return [
        (pgettext("django-otp", name) if name else name, options) for name, options in fieldsets
    ]


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):  # type: ignore[misc]  # untyped
    search_help_text = _("Cari menurut nama pengguna atau alamat email pemilik perangkat.")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _otp_fieldsets(super().get_fieldsets(request, obj))

    @admin.display(description=_("kode QR"))
    def qrcode_link(self, device: TOTPDevice) -> str:
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("tampilkan kode QR"))


class StaticDeviceAdmin(otp_static_admin.StaticDeviceAdmin):  # type: ignore[misc]  # untyped
    search_help_text = TOTPDeviceAdmin.search_help_text

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _otp_fieldsets(super().get_fieldsets(request, obj))


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, StaticDeviceAdmin)
