"""A member's review on the write path: completeness before submission,
abstentions, reopening by the operating body, and consensus refusals that
name what is missing. Every score change is audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import Assignment
from smartcity.certification.evaluation.selectors import indicator_panels
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    fix_consensus,
    record_member_score,
    reopen_review,
    submit_review,
)
from smartcity.certification.evaluation.tests.conftest import fill_review, score_everything
from smartcity.certification.models import Application
from smartcity.core.models import AuditEvent
from smartcity.frameworks.selectors import engine_framework
from smartcity.notifications.models import Notification

pytestmark = pytest.mark.django_db


def codes_of(application: Application) -> list[str]:
    return [i.code for i in engine_framework(application.framework).indicators]


def test_a_review_with_three_of_all_indicators_scored_is_refused_naming_the_rest(
    under_review: Application, committee_member: User
) -> None:
    codes = codes_of(under_review)
    for code in codes[:3]:
        record_member_score(
            actor=committee_member,
            application=under_review,
            indicator_code=code,
            points=Decimal(0),
            rationale="근거 부족",
        )
    with pytest.raises(EvaluationRefused) as refused:
        submit_review(actor=committee_member, application=under_review)
    assert refused.value.code == "review_incomplete"
    assert refused.value.detail == tuple(codes[3:])
    assert Assignment.objects.get(member=committee_member).submitted_at is None


def test_an_abstention_needs_a_reason_counts_as_complete_and_is_left_out_of_the_aggregate(
    under_review: Application, committee_member: User, member_two: User
) -> None:
    code = codes_of(under_review)[0]
    with pytest.raises(EvaluationRefused) as refused:
        record_member_score(actor=committee_member, application=under_review,
                            indicator_code=code, points=None, abstain=True)  # fmt: skip
    assert refused.value.code == "abstention_reason_required"
    fill_review(under_review, committee_member, points=Decimal(1))
    record_member_score(actor=committee_member, application=under_review, indicator_code=code,
                        points=None, abstain=True, rationale="자문 이력이 있어 기권")  # fmt: skip
    submit_review(actor=committee_member, application=under_review)
    score_everything(under_review, member_two, points=Decimal(2))
    panel = next(p for p in indicator_panels(under_review) if p.code == code)
    assert [points for _member, points in panel.members] == [Decimal(2)]
    assert panel.aggregated == Decimal(2)


def test_every_score_change_is_audited_abstention_included(
    under_review: Application, committee_member: User
) -> None:
    code = codes_of(under_review)[0]
    record_member_score(actor=committee_member, application=under_review, indicator_code=code,
                        points=Decimal(1), rationale="a")  # fmt: skip
    record_member_score(actor=committee_member, application=under_review, indicator_code=code,
                        points=None, abstain=True, rationale="b")  # fmt: skip
    record_member_score(actor=committee_member, application=under_review, indicator_code=code,
                        points=Decimal("0.5"), rationale="c")  # fmt: skip
    rows = AuditEvent.objects.filter(action="evaluation.score_changed").order_by("id")
    assert [(e.data["from"], e.data["to"], e.data["rationale"]) for e in rows] == [
        (None, "1.00", "a"),
        ("1.00", "abstained", "b"),
        ("abstained", "0.50", "c"),
    ]


def test_the_operating_body_reopens_a_submitted_review_with_a_reason_before_consensus(
    under_review: Application,
    committee_member: User,
    member_two: User,
    operator_staff: User,
    ministry_officer: User,
) -> None:
    score_everything(under_review, committee_member, points=Decimal(1))
    with pytest.raises(PermissionDenied):
        reopen_review(actor=ministry_officer, application=under_review,
                      member=committee_member, reason="x")  # fmt: skip
    with pytest.raises(PermissionDenied):
        reopen_review(actor=committee_member, application=under_review,
                      member=committee_member, reason="x")  # fmt: skip
    with pytest.raises(EvaluationRefused) as refused:
        reopen_review(actor=operator_staff, application=under_review,
                      member=committee_member, reason="  ")  # fmt: skip
    assert refused.value.code == "reopen_reason_required"
    with pytest.raises(EvaluationRefused) as refused:
        reopen_review(actor=operator_staff, application=under_review,
                      member=member_two, reason="정정")  # fmt: skip
    assert refused.value.code == "review_not_submitted"

    reopen_review(actor=operator_staff, application=under_review,
                  member=committee_member, reason="C-1 지표 입력 착오 정정 요청")  # fmt: skip
    assignment = Assignment.objects.get(member=committee_member, application=under_review)
    assert assignment.submitted_at is None and assignment.reopened_at is not None
    assert assignment.reopen_reason == "C-1 지표 입력 착오 정정 요청"
    event = AuditEvent.objects.get(action="evaluation.review_reopened")
    assert event.data["reason"] == "C-1 지표 입력 착오 정정 요청"
    assert event.data["member"] == committee_member.username
    assert Notification.objects.filter(
        recipient=committee_member, kind="evaluation.review_reopened"
    ).exists()
    # The member corrects a score (audited) and submits again.
    code = codes_of(under_review)[0]
    record_member_score(actor=committee_member, application=under_review, indicator_code=code,
                        points=Decimal(0), rationale="정정")  # fmt: skip
    submit_review(actor=committee_member, application=under_review)
    assert (
        AuditEvent.objects.filter(action="evaluation.review_submitted").last().data["resubmitted"]
    )


def test_no_reopening_once_the_consensus_is_fixed(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two)
    fix_consensus(actor=operator_staff, application=under_review, scores={})
    with pytest.raises(EvaluationRefused) as refused:
        reopen_review(actor=operator_staff, application=under_review,
                      member=committee_member, reason="정정")  # fmt: skip
    assert refused.value.code == "consensus_already_fixed"


def test_consensus_refusals_name_the_members_who_have_not_submitted(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    member_two.display_name = "이미래 교수"
    member_two.save()
    score_everything(under_review, committee_member)
    with pytest.raises(EvaluationRefused) as refused:
        fix_consensus(actor=operator_staff, application=under_review, scores={})
    assert refused.value.code == "reviews_pending"
    assert refused.value.detail == ("이미래 교수",)


def test_consensus_refusals_name_the_indicators_departing_without_a_rationale(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    score_everything(under_review, committee_member, points=Decimal(1))
    score_everything(under_review, member_two, points=Decimal(1))
    first, second = codes_of(under_review)[:2]
    with pytest.raises(EvaluationRefused) as refused:
        fix_consensus(
            actor=operator_staff,
            application=under_review,
            scores={first: (Decimal(0), ""), second: (Decimal(1), "")},
        )
    assert refused.value.code == "consensus_rationale_required"
    assert refused.value.detail == (first,)  # the second agrees with the committee
    fix_consensus(actor=operator_staff, application=under_review,
                  scores={first: (Decimal(0), "현장 확인 결과 미운영")})  # fmt: skip


def test_consensus_outside_the_review_names_the_current_status(
    app_a: Application, operator_staff: User, committee_member: User, clock: Any
) -> None:
    from smartcity.certification.evaluation.services import assign_member

    assign_member(actor=operator_staff, application=app_a, member=committee_member)
    with pytest.raises(EvaluationRefused) as refused:
        fix_consensus(actor=operator_staff, application=app_a, scores={})
    assert refused.value.code == "wrong_state"
    assert refused.value.detail == (app_a.get_status_display(),)
