"""Finding the sending system behind an API key."""

from __future__ import annotations

import hmac

from smartcity.operations.models import IntakeClient
from smartcity.operations.services.tenancy import hash_key_secret, split_key


def client_for_key(raw_key: str) -> IntakeClient | None:
    """The active client whose key this is, in constant time per candidate."""
    parts = split_key(raw_key)
    if parts is None:
        return None
    prefix, secret = parts
    client = (
        IntakeClient.objects.select_related("tenant")
        .filter(key_prefix=prefix, is_active=True, tenant__is_active=True)
        .first()
    )
    if client is None or not hmac.compare_digest(client.key_hash, hash_key_secret(secret)):
        return None
    return client
