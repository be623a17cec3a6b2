"""The one write path of the crime types for police video: every change
(from the Django admin) is audited, so a change of rule has a record."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.operations.models import VideoCrimeType


def record_crime_type_change(*, actor: Any, crime_type: VideoCrimeType, created: bool) -> None:
    """Audit the type as saved, with its variants, after the admin saved it."""
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="operations.crime_type_created" if created else "operations.crime_type_changed",
            object_type="operations.videocrimetype",
            object_id=crime_type.pk,
            data={"code": crime_type.code, "name_ko": crime_type.name_ko,
                  "legal_ground": crime_type.legal_ground,
                  "legal_basis": crime_type.legal_basis, "is_active": crime_type.is_active,
                  "variants": [[v.name, v.law] for v in crime_type.variants.order_by("id")]},
        )  # fmt: skip


def record_crime_type_deletion(*, actor: Any, code: str, pk: int) -> None:
    record_audit(
        actor=actor, action="operations.crime_type_deleted",
        object_type="operations.videocrimetype", object_id=pk, data={"code": code},
    )  # fmt: skip
