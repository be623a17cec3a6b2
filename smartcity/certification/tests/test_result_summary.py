"""The yearly results summary is maintained by the write services, in their
transaction, and always equals a rebuild from the results (issue 17)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from smartcity.accounts.models import User
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.domain import result_summary as rs
from smartcity.certification.evaluation.models import ResultSummary, ResultSummaryEntry
from smartcity.certification.models import Application, Call
from smartcity.certification.services.results import announce_result
from smartcity.certification.services.summary import rebuild_result_summary
from smartcity.certification.services.workflow import perform
from smartcity.testing.call_calendar import KST
from smartcity.testing.certification import (
    approved,
    open_call,
    reported,
    submitted_application,
)

pytestmark = pytest.mark.django_db


def snapshot() -> set[tuple[Any, ...]]:
    """The summary's content (rows without results are as good as absent)."""
    rows = ResultSummary.objects.filter(count__gt=0)
    return {
        (r.year, r.size_class, r.framework_code, r.published, r.count, repr(sorted_stats(r.stats)))
        for r in rows
    }


def sorted_stats(stats: dict[str, Any]) -> list[Any]:
    return sorted(
        (kind, code, sorted(counts.items()))
        for kind in stats
        for code, counts in stats[kind].items()
    )


def assert_equals_rebuild() -> set[tuple[Any, ...]]:
    maintained = snapshot()
    rebuild_result_summary()
    assert snapshot() == maintained
    return maintained


def audiences() -> dict[bool, int]:
    return {
        published: sum(r.count for r in ResultSummary.objects.filter(published=published))
        for published in (True, False)
    }


@pytest.fixture
def call(clock, ministry_officer: User, city_2023) -> Call:  # type: ignore[no-untyped-def]
    return open_call(ministry_officer, city_2023, clock=clock, year=2026)


def test_each_workflow_step_moves_the_result_between_audiences(  # type: ignore[no-untyped-def]
    clock,
    call: Call,
    applicant_city_a: User,
    applicant_city_b: User,
    operator_staff: User,
    committee_member: User,
    ministry_officer: User,
) -> None:
    a = submitted_application(clock, applicant_city_a, call)
    b = submitted_application(clock, applicant_city_b, call, title="나래시 인증 신청")
    assert not ResultSummary.objects.exists()  # nothing reported yet

    reported(clock, a, operator=operator_staff, member=committee_member, share=Decimal("0.75"))
    reported(clock, b, operator=operator_staff, member=committee_member, share=Decimal("0.6"))
    assert audiences() == {True: 0, False: 2}
    assert_equals_rebuild()

    perform(actor=ministry_officer, application=b, action=Action.RETURN, reason="재검토")
    assert audiences() == {True: 0, False: 1}
    assert not ResultSummaryEntry.objects.filter(application=b).exists()
    assert_equals_rebuild()

    clock.set(dt.datetime(2026, 12, 2, 10, 0, tzinfo=KST))
    perform(actor=operator_staff, application=b, action=Action.REPORT)
    approved(clock, a, ministry=ministry_officer)
    assert audiences() == {True: 0, False: 2}
    assert_equals_rebuild()

    clock.set(dt.datetime(2026, 12, 21, 10, 0, tzinfo=KST))
    announce_result(actor=ministry_officer, application=Application.objects.get(pk=a.pk))
    assert audiences() == {True: 1, False: 1}
    published = ResultSummary.objects.get(published=True, count=1)
    assert (published.year, published.framework_code) == (2026, "city-2023")
    assert published.size_class == Application.objects.get(pk=a.pk).size_class
    assert_equals_rebuild()


def test_a_failed_write_leaves_the_summary_as_it_was(  # type: ignore[no-untyped-def]
    clock,
    monkeypatch,
    call: Call,
    applicant_city_a: User,
    operator_staff: User,
    committee_member: User,
    ministry_officer: User,
) -> None:
    a = submitted_application(clock, applicant_city_a, call)
    reported(clock, a, operator=operator_staff, member=committee_member, share=Decimal("0.75"))
    before = snapshot()

    def broken_audit(**_: Any) -> None:
        raise RuntimeError("boom")

    # The audit row is written after the summary: failing there rolls both back.
    monkeypatch.setattr("smartcity.certification.services.workflow.record_audit", broken_audit)
    with pytest.raises(RuntimeError):
        perform(actor=ministry_officer, application=a, action=Action.RETURN, reason="x")
    assert snapshot() == before and audiences() == {True: 0, False: 1}
    assert ResultSummaryEntry.objects.filter(application=a).exists()


def test_the_rebuild_command_restores_a_lost_summary(  # type: ignore[no-untyped-def]
    clock, call: Call, applicant_city_a: User, operator_staff: User, committee_member: User
) -> None:
    a = submitted_application(clock, applicant_city_a, call)
    reported(clock, a, operator=operator_staff, member=committee_member, share=Decimal("0.75"))
    maintained = snapshot()
    ResultSummaryEntry.objects.all().delete()
    ResultSummary.objects.all().delete()
    out = io.StringIO()
    call_command("certification", "rebuild-summary", stdout=out)
    assert "1 result(s) summarised" in out.getvalue()
    assert snapshot() == maintained


def test_taking_out_what_was_never_added_is_refused() -> None:
    stats = rs.empty_stats()
    part = {"areas": {"A1": "3.00/10.00"}, "indicators": {"I1": "1/2"}}
    rs.apply(stats, part, 1)
    rs.apply(stats, part, 1)
    assert stats == {"areas": {"A1": {"3.00/10.00": 2}}, "indicators": {"I1": {"1/2": 2}}}
    rs.apply(stats, part, -1)
    rs.apply(stats, part, -1)
    assert stats == rs.empty_stats()
    with pytest.raises(ValueError, match="underflow"):
        rs.apply(stats, part, -1)
