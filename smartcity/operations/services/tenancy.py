"""Centres (tenants), the local governments they serve, and the API keys of
the systems that report into them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code
from smartcity.operations.choices import IntakeSource
from smartcity.operations.errors import OperationsError, StateConflict
from smartcity.operations.models import CentreMembership, IntakeClient, Tenant

KEY_SCHEME = "sck"


class MembershipRefused(OperationsError):
    """A local government cannot join the centre: ``served_elsewhere`` (another
    centre serves it; move it explicitly) or ``unknown_municipality``."""


def create_tenant(
    *, municipality_code: str, code: str = "", name_ko: str = "", name_en: str = "",
    serve_seat: bool = True, actor: Any = None,
) -> Tenant:  # fmt: skip
    """Open the platform to a local government: a centre run by it, serving it
    alone (idempotent per municipality). With ``serve_seat=False`` the new
    centre serves nobody yet (see :func:`create_centre`).

    Raises ``Municipality.DoesNotExist`` for a code the register does not know.
    """
    municipality = Municipality.objects.get(code=register_code(municipality_code))
    with transaction.atomic():
        tenant, created = Tenant.objects.get_or_create(
            municipality=municipality,
            defaults={
                "code": code or municipality.code,
                "name_ko": name_ko or f"{municipality.full_name_ko} 스마트도시 통합운영센터",
                "name_en": name_en
                or (f"{municipality.name_en} Smart City Centre" if municipality.name_en else ""),
            },
        )
        if created:
            record_audit(
                actor=actor,
                action="operations.tenant_created",
                object_type="operations.tenant",
                object_id=tenant.pk,
                data={"code": tenant.code, "municipality": municipality.code},
            )
            if (
                serve_seat
                and not CentreMembership.objects.filter(
                    municipality=municipality, left_at__isnull=True
                ).exists()
            ):
                _join(tenant, municipality)
    return tenant


def create_centre(
    *, seat_code: str, member_codes: list[str], code: str = "", name_ko: str = "",
    name_en: str = "", move: bool = False, actor: Any = None,
) -> Tenant:  # fmt: skip
    """A centre run by ``seat_code``'s local government and serving each of
    ``member_codes`` (the seat is not a member unless listed): a metropolitan
    cloud centre with its districts, or several small cities on one platform.

    A local government another centre serves is refused unless ``move``; then
    it is moved (its history kept). All or nothing.
    """
    with transaction.atomic():
        tenant = create_tenant(
            municipality_code=seat_code, code=code, name_ko=name_ko, name_en=name_en,
            serve_seat=False, actor=actor,
        )  # fmt: skip
        for member_code in member_codes:
            add_municipality(tenant=tenant, municipality_code=member_code, move=move, actor=actor)
    return tenant


def add_municipality(
    *, tenant: Tenant, municipality_code: str, move: bool = False, actor: Any = None,
    note: str = "",
) -> CentreMembership:  # fmt: skip
    """Make ``tenant`` serve a local government from now on.

    If another centre serves it, refuse (``served_elsewhere``) unless ``move``:
    then that membership ends now and this one starts now, so who served it
    when stays on record. Its past incidents stay with the centres that
    received them. Already a member: returned unchanged.
    """
    municipality = _municipality(municipality_code)
    with transaction.atomic():
        current = (
            CentreMembership.objects.select_for_update()
            .filter(municipality=municipality, left_at__isnull=True)
            .select_related("tenant")
            .first()
        )
        if current is not None and current.tenant_id == tenant.pk:
            return current
        if current is not None and not move:
            raise MembershipRefused(
                "served_elsewhere", municipality=municipality.full_name_ko,
                centre=current.tenant.name_ko,
            )  # fmt: skip
        now = timezone.now()
        if current is not None:
            current.left_at = now
            current.save(update_fields=["left_at"])
        membership = _join(tenant, municipality, note=note, at=now)
        record_audit(
            actor=actor,
            action="operations.centre_member_moved"
            if current
            else "operations.centre_member_added",
            object_type="operations.tenant",
            object_id=tenant.pk,
            data={
                "tenant": tenant.code,
                "municipality": municipality.code,
                "from_tenant": current.tenant.code if current else "",
            },
        )
    return membership


def remove_municipality(*, tenant: Tenant, municipality_code: str, actor: Any = None) -> None:
    """The centre stops serving the local government now (its history kept)."""
    municipality = _municipality(municipality_code)
    with transaction.atomic():
        updated = CentreMembership.objects.filter(
            tenant=tenant, municipality=municipality, left_at__isnull=True
        ).update(left_at=timezone.now())
        if updated:
            record_audit(
                actor=actor, action="operations.centre_member_removed",
                object_type="operations.tenant", object_id=tenant.pk,
                data={"tenant": tenant.code, "municipality": municipality.code},
            )  # fmt: skip


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=register_code(code)).first()
    if municipality is None:
        raise MembershipRefused("unknown_municipality", municipality=code)
    return municipality


def _join(
    tenant: Tenant, municipality: Municipality, *, note: str = "", at: dt.datetime | None = None
) -> CentreMembership:
    return CentreMembership.objects.create(
        tenant=tenant, municipality=municipality, joined_at=at or timezone.now(), note=note
    )


_KEY_PREFIX = re.compile(r"[A-Za-z0-9]{1,16}")
_KEY_SECRET = re.compile(r"[A-Za-z0-9_-]{1,200}")


def hash_key_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(raw_key: str) -> tuple[str, str] | None:
    """``sck_<prefix>_<secret>`` → (prefix, secret), or ``None`` if malformed."""
    parts = raw_key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME:
        return None
    # Only the alphabets keys are issued in: anything else (a NUL, which
    # PostgreSQL cannot even compare) is a wrong key, never a query.
    if not (_KEY_PREFIX.fullmatch(parts[1]) and _KEY_SECRET.fullmatch(parts[2])):
        return None
    return parts[1], parts[2]


def _new_key() -> tuple[str, str]:
    return secrets.token_hex(6), secrets.token_urlsafe(32)


def issue_intake_client(
    *, tenant: Tenant, name: str, source: str, actor: Any = None
) -> tuple[IntakeClient, str]:
    """Register a sending system and return it with its API key — shown this
    once; only its hash is kept."""
    if source not in IntakeSource.values:
        raise ValueError(f"unknown source {source!r}; one of {IntakeSource.values}")
    prefix, secret = _new_key()
    with transaction.atomic():
        client = IntakeClient.objects.create(
            tenant=tenant,
            name=name,
            source=source,
            key_prefix=prefix,
            key_hash=hash_key_secret(secret),
        )
        record_audit(
            actor=actor,
            action="operations.intake_key_issued",
            object_type="operations.intakeclient",
            object_id=client.pk,
            data={"tenant": tenant.code, "name": name, "source": source, "prefix": prefix},
        )
    return client, f"{KEY_SCHEME}_{prefix}_{secret}"


def rotate_intake_client(*, client: IntakeClient, actor: Any = None) -> tuple[IntakeClient, str]:
    """A new key for the same sending system: the old one stops working now.
    A revoked system is not rotated (``StateConflict("key_revoked")``)."""
    prefix, secret = _new_key()
    with transaction.atomic():
        locked = IntakeClient.objects.select_for_update().get(pk=client.pk)
        if not locked.is_active:
            raise StateConflict("key_revoked")
        old_prefix = locked.key_prefix
        locked.key_prefix = prefix
        locked.key_hash = hash_key_secret(secret)
        locked.rotated_at = timezone.now()
        locked.last_used_at = None
        locked.save(update_fields=["key_prefix", "key_hash", "rotated_at", "last_used_at"])
        record_audit(
            actor=actor,
            action="operations.intake_key_rotated",
            object_type="operations.intakeclient",
            object_id=locked.pk,
            data={"tenant": locked.tenant.code, "old_prefix": old_prefix, "prefix": prefix},
        )
    return locked, f"{KEY_SCHEME}_{prefix}_{secret}"


def revoke_intake_client(*, client: IntakeClient, actor: Any = None) -> None:
    """The key stops working now, for good (revoking twice changes nothing)."""
    with transaction.atomic():
        updated = IntakeClient.objects.filter(pk=client.pk, is_active=True).update(
            is_active=False, revoked_at=timezone.now()
        )
        if updated:
            record_audit(
                actor=actor,
                action="operations.intake_key_revoked",
                object_type="operations.intakeclient",
                object_id=client.pk,
                data={"prefix": client.key_prefix},
            )


KEY_USE_RESOLUTION = dt.timedelta(minutes=1)


def note_intake_key_used(*, client: IntakeClient) -> None:
    """Stamp when the key was last used, at most once a minute: intake stays
    one cheap conditional UPDATE per request or none. Not audited: every
    report the key sends is already audited as the incident it made."""
    now = timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < KEY_USE_RESOLUTION:
        return
    IntakeClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - KEY_USE_RESOLUTION)
    ).update(last_used_at=now)
    client.last_used_at = now
