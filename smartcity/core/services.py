"""The one write path of the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from smartcity.core.domain.hash_chain import GENESIS_HASH, link_hash
from smartcity.core.models import AuditEvent, AuditHead
from smartcity.core.selectors import audit_chain_fields, chain_key


def _actor_parts(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return int(actor.pk), str(actor.get_username())


def record_audit(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    data: Mapping[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one audit row, chained to the previous one.

    Runs inside the caller's transaction when there is one, so the audit row
    commits or rolls back with the change it describes.
    """
    actor_id, label = _actor_parts(actor)
    if actor_label is not None:
        label = actor_label
    payload = dict(data or {})
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_hash=GENESIS_HASH)
            head = AuditHead.objects.select_for_update().get(pk=1)
        occurred_at = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
        # Round-trip through JSON-compatible types so the hash covers exactly
        # what the database stores.
        fields = audit_chain_fields(
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=payload,
        )
        digest = link_hash(head.last_hash, fields, key=chain_key())
        event = AuditEvent(
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=payload,
            prev_hash=head.last_hash,
            hash=digest,
        )
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_hash=digest, last_id=event.pk)
    return event
