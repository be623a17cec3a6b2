"""Short-lived per-camera stream tokens, as pure functions.

A token names one officer, one camera and one grant, carries a random nonce
and an expiry a few seconds ahead, and is signed with HMAC-SHA256. The video
gateway verifies it on every open, then records the nonce so the same token
cannot be opened twice. The camera's real stream address is never in it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class StreamClaims:
    officer_id: int
    camera_id: int
    grant_id: int
    nonce: str
    expires_at: int  # Unix seconds


class TokenProblem(StrEnum):
    MALFORMED = "token_malformed"
    FORGED = "token_forged"
    EXPIRED = "token_expired"


class TokenRefused(Exception):
    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def sign_token(key: bytes, claims: StreamClaims) -> str:
    """``<payload>.<signature>``, both base64url, safe in a URL path."""
    payload = json.dumps(
        [claims.officer_id, claims.camera_id, claims.grant_id, claims.nonce, claims.expires_at],
        separators=(",", ":"),
    )
    body = _b64(payload.encode("utf-8"))
    return f"{body}.{_signature(key, body)}"


def read_token(key: bytes, token: str, now_s: float) -> StreamClaims:
    """The claims of a genuine, unexpired token; raises :class:`TokenRefused`.

    The signature is checked before anything in the payload is trusted.
    """
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise TokenRefused(TokenProblem.MALFORMED)
    if not hmac.compare_digest(_signature(key, body), signature):
        raise TokenRefused(TokenProblem.FORGED)
    try:
        officer_id, camera_id, grant_id, nonce, expires_at = json.loads(_unb64(body))
        claims = StreamClaims(int(officer_id), int(camera_id), int(grant_id), str(nonce),
                              int(expires_at))  # fmt: skip
    except (ValueError, TypeError) as exc:
        raise TokenRefused(TokenProblem.MALFORMED) from exc
    if claims.expires_at <= now_s:
        raise TokenRefused(TokenProblem.EXPIRED)
    return claims
