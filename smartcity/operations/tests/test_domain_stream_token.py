"""Stream tokens without a database: signed, bound, short-lived."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def _signed(body: str) -> str:
    """A token whose body is ``body`` verbatim, with a genuine signature."""
    import base64
    import hashlib
    import hmac

    mac = hmac.new(KEY, body.encode("ascii"), hashlib.sha256).digest()
    return body + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def _b64(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode("ascii")


@pytest.mark.parametrize(
    "garbage",
    [
        "토큰.서명",  # non-ASCII on both sides
        sign_token(KEY, CLAIMS) + "é",  # non-ASCII signature
        "é" + sign_token(KEY, CLAIMS),  # non-ASCII body
        "abc\x00.def",  # NUL
        "abc.d\x00ef",
        "a" * 100_000 + ".sig",  # huge
        sign_token(KEY, CLAIMS) + "A" * 5_000,
        "abc=.def",  # padding where there is none
        "ab+/.c==",  # standard base64, not URL-safe
        "\ud800.sig",  # a lone surrogate
    ],
)
def test_a_malformed_token_is_refused_as_malformed_not_a_crash(garbage: str) -> None:
    with pytest.raises(TokenRefused) as refused:
        read_token(KEY, garbage, 0)
    assert refused.value.problem is TokenProblem.MALFORMED


@pytest.mark.parametrize(
    "body",
    [
        "abcde",  # a length base64 cannot have
        _b64('[1,2,3,"n",1e999]'),  # an infinite expiry
        _b64('[1,2,3,"n",NaN]'),
        _b64('[1,2,3,"n"]'),  # a claim missing
        _b64('{"officer":1}'),
        _b64('[true,2,3,"n",5]'),
        _b64('[-1,2,3,"n",5]'),  # ids are positive
        _b64(f'[1,{2**70},3,"n",5]'),  # beyond any database id
        _b64('[1,2,3,"' + "n" * 200 + '",5]'),  # a nonce longer than we issue
        _b64('[1,2,3,["n"],5]'),
        _b64('[1.5,2,3,"n",5]'),
    ],
)
def test_a_genuinely_signed_but_malformed_payload_is_refused_as_malformed(body: str) -> None:
    with pytest.raises(TokenRefused) as refused:
        read_token(KEY, _signed(body), 0)
    assert refused.value.problem is TokenProblem.MALFORMED


@given(st.text(max_size=600) | st.from_regex(r"[A-Za-z0-9_-]{1,80}\.[A-Za-z0-9_-]{43}"))
def test_whatever_arrives_the_only_answer_is_a_token_refusal(token: str) -> None:
    with pytest.raises(TokenRefused):
        read_token(KEY, token, 0)


@given(st.binary(max_size=200))
def test_any_genuinely_signed_body_either_reads_back_or_is_malformed(raw: bytes) -> None:
    import base64

    body = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") or "A"
    outcome: StreamClaims | TokenProblem
    try:
        outcome = read_token(KEY, _signed(body), 0)
    except TokenRefused as refused:
        outcome = refused.problem
    if isinstance(outcome, StreamClaims):
        assert min(outcome.officer_id, outcome.grant_id, outcome.camera_id) > 0
    else:
        assert outcome in {TokenProblem.MALFORMED, TokenProblem.EXPIRED}
