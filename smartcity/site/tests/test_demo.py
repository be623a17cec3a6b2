"""``smartcity demo load``: what ``scripts/serve`` shows a newcomer."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Phase, phase_at
from smartcity.certification.evaluation.models import CommitteeMembership
from smartcity.certification.models import Call
from smartcity.certification.services.calls import timeline_of
from smartcity.registry.models import Certificate

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


def test_demo_load_gives_logins_the_record_and_an_open_call_and_is_idempotent(
    municipal_register: None,
) -> None:
    first = load()
    assert "demo logins: 13 created" in first and "opened" in first
    assert Certificate.objects.exists()
    call = Call.objects.get(title_ko__contains="(데모)")
    assert phase_at(timeline_of(call), timezone.now()) is Phase.OPEN
    assert call.committees.count() == 2  # 대도시, 중소도시
    member = User.objects.get(username="member")
    assert CommitteeMembership.objects.filter(member=member, is_common=True).count() == 4

    second = load()
    assert "demo logins: 0 created" in second and "already there" in second
    assert Call.objects.count() == 2  # this year's open call, and the reviewed one


def test_demo_refuses_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="never loaded in production"):
        load()


@pytest.mark.parametrize("day", ["2026-03-02", "2028-06-15", "2031-01-10"])
def test_a_demo_loaded_on_any_day_has_an_open_call_and_certificates_valid_that_day(
    municipal_register: None, clock, day: str
) -> None:
    import datetime as dt

    from smartcity.registry.demo import DEMO_SOURCE
    from smartcity.registry.selectors import certificates_valid_on

    today = dt.date.fromisoformat(day)
    clock.set(dt.datetime.combine(today, dt.time(3), tzinfo=dt.UTC))
    load()
    call = Call.objects.get(title_ko__contains="(데모)")
    assert call.year == today.year
    assert phase_at(timeline_of(call), timezone.now()) is Phase.OPEN
    valid = certificates_valid_on(today)
    demo = valid.filter(decision__source=DEMO_SOURCE)
    assert {c.kind for c in demo} == {"city", "service"}
    assert demo.count() == 3

    again = load()
    assert "demo decisions: already there" in again


@pytest.mark.parametrize("day", ["2026-01-05", "2026-12-07", "2029-07-31"])
def test_a_demo_loaded_on_any_day_has_a_reviewed_call_waiting_for_the_ministry(
    municipal_register: None, clock, day: str
) -> None:
    import datetime as dt

    from smartcity.certification.demo_approval import reviewed_call_title
    from smartcity.certification.services.results import awaiting_approval

    today = dt.date.fromisoformat(day)
    clock.set(dt.datetime.combine(today, dt.time(3), tzinfo=dt.UTC))
    out = load()
    assert "awaits approval" in out
    call = Call.objects.get(title_ko=reviewed_call_title(today))
    # The round is in its decision phase today, every step dated in the past.
    assert phase_at(timeline_of(call), timezone.now()) is Phase.DECISION
    rows = awaiting_approval()
    assert [r.application.call_id for r in rows] == [call.pk, call.pk]
    assert all(not r.overdue and r.consensus is not None for r in rows)
    assert {r.application.result_certified for r in rows} == {True, False}
    for row in rows:
        application = row.application
        assert application.submitted_at is not None
        assert application.submitted_at < call.submission_closes_at
        assert application.approval_due_at is not None
        assert application.approval_due_at > timezone.now()
        assert application.assignments.filter(submitted_at__isnull=False).count() == 3

    again = load()
    assert "reviewed call: already there" in again
    assert len(awaiting_approval()) == 2
