from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

HEADER = "kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.fixture
def certificate(applicant_city_a: Any, clock: Any) -> Any:
    """City A (90001, the persona's municipality), certified 2025-06-01 and
    valid until 2027-05-31; the clock stands at 2026-03-02 10:00 KST."""
    from smartcity.registry.models import Certificate
    from smartcity.registry.services import import_decisions
    from smartcity.testing.call_calendar import KST

    assert import_decisions(
        data=csv_bytes("city,가람시,90001,,new,2025-06-01,,,,2025 press release (test)"),
        file_name="d.csv",
    ).ok
    clock.set(dt.datetime(2026, 3, 2, 10, 0, tzinfo=KST))
    return Certificate.objects.get()


def login(user: Any) -> Any:
    """A test client signed in as ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
