"""Saves from the Django admin (superusers, for the long tail): the admin's
``save_model`` calls these, so an edit there writes the same audit rows as the
people pages (created, role changed, deactivated, reactivated) and one row
naming any other fields changed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from smartcity.accounts.models import Organisation, User
from smartcity.core.services import record_audit


def save_account_from_admin(*, actor: User, account: User, changed: Iterable[str]) -> User:
    with transaction.atomic():
        before = (
            User.objects.select_for_update().filter(pk=account.pk).first() if account.pk else None
        )
        account.save()
        data: dict[str, object] = {"username": account.get_username(), "admin": True}

        def audit(action: str, more: dict[str, object]) -> None:
            record_audit(
                actor=actor, action=action, object_type="accounts.user",
                object_id=account.pk, data=data | more,
            )  # fmt: skip

        if before is None:
            audit("accounts.user_created", {"role": account.role})
            return account
        rest = set(changed)
        if before.role != account.role:
            rest.discard("role")
            audit("accounts.role_changed", {"from": before.role, "to": account.role})
        if before.is_active != account.is_active:
            rest.discard("is_active")
            audit(
                "accounts.user_reactivated" if account.is_active else "accounts.user_deactivated",
                {},
            )
        if rest:
            audit("accounts.user_changed", {"fields": sorted(rest)})
    return account


def save_organisation_from_admin(
    *, actor: User, organisation: Organisation, changed: Iterable[str]
) -> Organisation:
    with transaction.atomic():
        created = organisation.pk is None
        organisation.save()
        record_audit(
            actor=actor,
            action="accounts.organisation_created" if created else "accounts.organisation_changed",
            object_type="accounts.organisation",
            object_id=organisation.pk,
            data={
                "name_ko": organisation.name_ko,
                "kind": organisation.kind,
                "steward_track": organisation.steward_track,
                "fields": sorted(set(changed)),
                "admin": True,
            },
        )
    return organisation
