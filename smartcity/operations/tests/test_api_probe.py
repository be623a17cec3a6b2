"""A cheap regression probe of the intake API: valid bodies with one or two
fields replaced by NUL and other control characters, lone surrogates,
impossible dates or absurd numbers (valid bodies too, so replays, updates and
closes happen) must never get a 5xx — on SQLite, and on PostgreSQL when the
suite runs there."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smartcity.operations.tests.factories import api_key

pytestmark = pytest.mark.django_db

NASTY = [
    "", " ", "\x00", "a\x00b", "\ud800", "\x1b[2J", "\u0085", "\r\n", "%(value)s", "{0}",
    "'; DROP TABLE x; --", "가" * 5000,
]  # fmt: skip
ZONES = [dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(dt.timedelta(hours=-12))]
EXTREME_TIMES = [
    "0001-01-01T00:00:00+09:00", "00010101000000000", "9999-12-31T23:59:59-14:00",
    "1969-12-31T23:59:59Z", "99999999999999999", "2026-02-30T00:00:00",
    "2026-03-01T21:15:00+25:00", "20260301211500000", "",
]  # fmt: skip
ODD_NUMBERS = [
    "", "NaN", "Infinity", "-0", "1e400", "1e-400", "37." + "1" * 2000, "0x25", "3_7", "37,5",
]  # fmt: skip

texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))
times = st.one_of(
    st.sampled_from(EXTREME_TIMES),
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.sampled_from(ZONES),
    ).map(lambda d: d.isoformat()),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(allow_nan=False),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.none(),
    texts,
)


def mutations(base: dict[str, Any], fields: dict[str, st.SearchStrategy[Any]]) -> Any:
    """``base`` with up to two of ``fields`` replaced by hostile values."""
    chosen = st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)
    return chosen.flatmap(lambda names: st.fixed_dictionaries({n: fields[n] for n in names})).map(
        lambda changes: {**base, **changes}
    )


INCIDENT = {
    "event_type": "112UC001", "status": "10", "external_id": "P-1",
    "occurred_at": "2026-03-01T21:15:00+09:00", "latitude": "37.5665", "longitude": "126.9780",
    "address": "서울특별시 중구 세종대로 110", "detail": "강도 신고", "case_type": "강도",
}  # fmt: skip
incident_bodies = mutations(
    INCIDENT,
    {
        "event_type": texts,
        "status": st.one_of(st.sampled_from(["10", "40", "50", "91"]), texts),
        "grade": st.one_of(st.sampled_from(["10", "20"]), texts, st.none()),
        "external_id": st.one_of(st.sampled_from(["P-1", "P-2"]), texts),
        "occurred_at": times,
        "latitude": numbers,
        "longitude": numbers,
        "address": texts,
        "detail": texts,
        "case_type": texts,
    },
)
POSITION = {"latitude": "37.5000", "longitude": "127.0000", "at": "20260301211000000"}
CARRIER = {
    "external_id": "W-1", "event_kind": "sos", "status": "10",
    "occurred_at": "2026-03-01T21:15:00+09:00", "positions": [POSITION],
    "guardian_name": "김보호", "guardian_phone": "010-1234-5678",
    "photo_ref": "photo/7.jpg", "address": "가람시 가람로 1",
}  # fmt: skip
positions = st.lists(
    mutations(POSITION, {"latitude": numbers, "longitude": numbers, "at": times}), max_size=3
)
carrier_bodies = mutations(
    CARRIER,
    {
        "external_id": st.one_of(st.sampled_from(["W-1", "W-2"]), texts),
        "event_kind": st.one_of(st.sampled_from(["sos", "left_safe_zone"]), texts),
        "status": st.one_of(st.sampled_from(["10", "40", "91"]), texts),
        "occurred_at": times,
        "positions": positions,
        "guardian_name": texts,
        "guardian_phone": texts,
        "photo_ref": texts,
        "address": texts,
    },
)
idempotency_keys = st.one_of(st.sampled_from(["k-1", "k-2", "k-3"]), st.uuids().map(str), texts)
PROBE = settings(
    max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


def send(url: str, body: dict[str, Any], *, key: str, idem: str) -> None:
    response = Client(raise_request_exception=False).post(
        url, data=json.dumps(body), content_type="application/json",
        headers={"X-Api-Key": key, "Idempotency-Key": idem.replace("\n", " ")},
    )  # fmt: skip
    assert response.status_code < 500, (body, idem, response.content[:500])


@pytest.fixture
def keys(clock, tenant_a) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One key per sender, issued once per test (the examples share the database),
    with the clock stopped the day after the valid examples' times."""
    clock.set(dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    return {source: api_key(tenant_a, source) for source in ("112", "WP1")}


# Intake stores through the group writer's own thread and connection
# (ADR 0023): the test's data must be committed for it to see.
@pytest.mark.django_db(transaction=True)
@PROBE
@given(body=incident_bodies, idem=idempotency_keys)
# The attacks of the security review, always tried (then hypothesis explores).
@example(body={**INCIDENT, "occurred_at": "0001-01-01T00:00:00+09:00"}, idem="r-1")
@example(body={**INCIDENT, "detail": "a\x00b"}, idem="r-2")
@example(body={**INCIDENT, "address": "a\x00b"}, idem="r-3")
@example(body={**INCIDENT, "external_id": "P\x00"}, idem="r-4")
@example(body={**INCIDENT, "detail": "\ud800"}, idem="r-5")
def test_no_incident_body_gets_a_server_error(keys, body, idem) -> None:  # type: ignore[no-untyped-def]
    send("/api/operations/incidents", body, key=keys["112"], idem=idem)


@PROBE
@given(body=carrier_bodies, idem=idempotency_keys)
@example(body={**CARRIER, "occurred_at": "0001-01-01T00:00:00+09:00"}, idem="r-1")
@example(body={**CARRIER, "guardian_name": "a\x00b"}, idem="r-2")
@example(body={**CARRIER, "positions": [{**POSITION, "at": "00010101000000000"}]}, idem="r-3")
def test_no_carrier_body_gets_a_server_error(keys, body, idem) -> None:  # type: ignore[no-untyped-def]
    send("/api/operations/carrier-events", body, key=keys["WP1"], idem=idem)
