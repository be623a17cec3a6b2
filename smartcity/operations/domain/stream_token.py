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
import re
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


MAX_BODY_CHARS = 400
"""A real body is about 80 characters; anything far longer is not ours."""
MAX_NONCE_CHARS = 40
"""Nonces are issued 24 characters long and stored in 40."""
MAX_ID = 2**63 - 1
"""Ids and times beyond a 64-bit integer would overflow the database."""

# ``<body>.<signature>``: base64url without padding on both sides, the
# signature exactly one SHA-256 (43 characters). Checked before anything else,
# so a non-ASCII, NUL, padded or oversized token never reaches the decoders.
_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_BODY_CHARS}}}\.[A-Za-z0-9_-]{{43}}", re.ASCII)
_NONCE = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_NONCE_CHARS}}}", re.ASCII)


def _whole(value: object, lowest: int) -> int:
    if type(value) is not int or not lowest <= value <= MAX_ID:
        raise ValueError("not a whole number in range")
    return value


def _claims(payload: object) -> StreamClaims:
    if not isinstance(payload, list) or len(payload) != 5:
        raise ValueError("not five claims")
    officer_id, camera_id, grant_id, nonce, expires_at = payload
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise ValueError("bad nonce")
    return StreamClaims(
        _whole(officer_id, 1), _whole(camera_id, 1), _whole(grant_id, 1), nonce,
        _whole(expires_at, 0),
    )  # fmt: skip


def read_token(key: bytes, token: str, now_s: float) -> StreamClaims:
    """The claims of a genuine, unexpired token; raises :class:`TokenRefused`.

    Whatever the caller passes — non-ASCII, NUL, padding, megabytes — the
    answer is a :class:`TokenRefused`, never another exception. The shape is
    checked first, then the signature, and only then is the payload decoded.
    """
    if not isinstance(token, str) or not _SHAPE.fullmatch(token):
        raise TokenRefused(TokenProblem.MALFORMED)
    body, _dot, signature = token.partition(".")
    if not hmac.compare_digest(_signature(key, body), signature):
        raise TokenRefused(TokenProblem.FORGED)
    try:
        claims = _claims(json.loads(_unb64(body)))
    except (ValueError, TypeError, RecursionError) as exc:  # binascii.Error, UnicodeError
        raise TokenRefused(TokenProblem.MALFORMED) from exc
    if claims.expires_at <= now_s:
        raise TokenRefused(TokenProblem.EXPIRED)
    return claims
