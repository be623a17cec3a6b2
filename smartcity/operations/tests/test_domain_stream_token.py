"""Stream tokens without a database: signed, bound, short-lived."""

from __future__ import annotations

import pytest

from smartcity.operations.domain.stream_token import (
    StreamClaims,
    TokenProblem,
    TokenRefused,
    read_token,
    sign_token,
)

KEY = b"k" * 32
CLAIMS = StreamClaims(officer_id=7, camera_id=42, grant_id=3, nonce="abc", expires_at=1_000)


def test_a_token_reads_back_its_claims_until_it_expires() -> None:
    token = sign_token(KEY, CLAIMS)
    assert read_token(KEY, token, 999.9) == CLAIMS
    with pytest.raises(TokenRefused) as refused:
        read_token(KEY, token, 1_000)
    assert refused.value.problem is TokenProblem.EXPIRED


def test_a_token_is_url_safe_and_names_no_stream_address() -> None:
    token = sign_token(KEY, CLAIMS)
    assert all(c.isalnum() or c in "-_." for c in token)
    assert "rtsp" not in token


def test_changing_any_claim_or_the_key_breaks_the_signature() -> None:
    token = sign_token(KEY, CLAIMS)
    other_camera = sign_token(KEY, StreamClaims(7, 43, 3, "abc", 1_000))
    forged = other_camera.split(".")[0] + "." + token.split(".")[1]
    for bad in (forged, token[:-2] + ("AA" if token[-2:] != "AA" else "BB")):
        with pytest.raises(TokenRefused) as refused:
            read_token(KEY, bad, 0)
        assert refused.value.problem is TokenProblem.FORGED
    with pytest.raises(TokenRefused):
        read_token(b"x" * 32, token, 0)


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.", ".sig", "a.b.c"])
def test_garbage_is_refused_without_a_crash(garbage: str) -> None:
    with pytest.raises(TokenRefused) as refused:
        read_token(KEY, garbage, 0)
    assert refused.value.problem in {TokenProblem.MALFORMED, TokenProblem.FORGED}
