"""Demo: this year's city call, open today, with its committees formed, so
the desk, the committee pages and an application can be tried at once.

Dates follow the real clock (the call opened two weeks ago and closes in
three weeks at 18:00 KST), so deadlines behave as they will in production.
Idempotent: nothing is created when the year's demo call exists.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.evaluation.services import add_member, create_committees
from smartcity.certification.models import Call
from smartcity.certification.services.calls import create_call
from smartcity.frameworks.models import FrameworkVersion

KST = ZoneInfo("Asia/Seoul")
DEMO_TITLE = "%(year)s년 스마트도시 인증 공모(데모)"


def demo_timeline(today: dt.date) -> Timeline:
    def at(day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=KST)

    closes = today + dt.timedelta(days=21)
    return Timeline(
        submission_opens_at=at(today - dt.timedelta(days=14)),
        submission_closes_at=at(closes, 18),
        written_review_starts_at=at(closes + dt.timedelta(days=7)),
        site_inspection_starts_at=at(closes + dt.timedelta(days=21)),
        decision_starts_at=at(closes + dt.timedelta(days=35)),
        results_announced_at=at(closes + dt.timedelta(days=49)),
    )


def open_demo_call(*, ministry: User, operating_body: User) -> Call | None:
    """Create this year's demo city call and its committees, with every
    committee-member login as a common member; ``None`` if it exists."""
    today = timezone.localdate()
    title = DEMO_TITLE % {"year": today.year}
    if Call.objects.filter(title_ko=title).exists():
        return None
    framework = FrameworkVersion.objects.get(code="city-2023")
    timeline = demo_timeline(today)
    call = create_call(
        actor=ministry,
        year=today.year,
        framework=framework,
        title_ko=title,
        title_en=f"{today.year} smart city certification call (demo)",
        timeline=timeline,
        announced_at=timeline.submission_opens_at - dt.timedelta(days=14),
    )
    committees = create_committees(actor=operating_body, call=call)
    for member in User.objects.filter(role=Role.COMMITTEE_MEMBER, is_active=True):
        add_member(actor=operating_body, committee=committees[0], member=member, is_common=True)
    return call
