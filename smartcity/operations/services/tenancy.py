"""Tenants and the API keys of the systems that report into them."""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code
from smartcity.operations.choices import IntakeSource
from smartcity.operations.models import IntakeClient, Tenant

KEY_SCHEME = "sck"


def create_tenant(
    *, municipality_code: str, code: str = "", name_ko: str = "", name_en: str = "",
    actor: Any = None,
) -> Tenant:  # fmt: skip
    """Open the platform to a local government (idempotent per municipality).

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
    return tenant


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


def issue_intake_client(
    *, tenant: Tenant, name: str, source: str, actor: Any = None
) -> tuple[IntakeClient, str]:
    """Register a sending system and return it with its API key — shown this
    once; only its hash is kept."""
    if source not in IntakeSource.values:
        raise ValueError(f"unknown source {source!r}; one of {IntakeSource.values}")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
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


def revoke_intake_client(*, client: IntakeClient, actor: Any = None) -> None:
    with transaction.atomic():
        IntakeClient.objects.filter(pk=client.pk).update(is_active=False)
        record_audit(
            actor=actor,
            action="operations.intake_key_revoked",
            object_type="operations.intakeclient",
            object_id=client.pk,
            data={"prefix": client.key_prefix},
        )
