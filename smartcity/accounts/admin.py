"""The Django admin for superusers (the long tail the people pages do not
cover). Saves go through the accounts services, which write the same audit
rows as the people pages; nothing is deleted here (accounts are deactivated,
since audit rows and records refer to them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.models import Invitation, Organisation, User
from smartcity.accounts.services.admin_saves import (
    save_account_from_admin,
    save_organisation_from_admin,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("역할과 소속"), {"fields": ("role", "organisation", "display_name")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("역할과 소속"), {"fields": ("role", "organisation", "display_name", "email")}),
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        save_account_from_admin(actor=request.user, account=obj, changed=form.changed_data)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name_ko", "kind", "track", "steward_track")
    list_filter = ("kind", "track", "steward_track")
    search_fields = ("name_ko", "name_en")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        save_organisation_from_admin(
            actor=request.user, organisation=obj, changed=form.changed_data
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: invitations are sent, re-sent and cancelled on the people pages."""

    list_display = ("user", "invited_by", "sent_at", "accepted_at", "cancelled_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
