"""The committee's write path: committees, conflicts, assignment, scores,
discussion, consensus and the site inspection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from smartcity.accounts.models import User
from smartcity.certification.access import assignment_of, has_conflict
from smartcity.certification.evaluation.models import (
    Assignment,
    Comment,
    Committee,
    CommitteeMembership,
    ConflictOfInterest,
    Consensus,
    InspectionItem,
)
from smartcity.certification.evaluation.selectors import consensus_defaults, indicator_panels
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    add_member,
    assign_member,
    auto_assign,
    create_committees,
    declare_conflict,
    detect_conflicts,
    fix_consensus,
    post_comment,
    record_inspection,
    record_member_score,
    start_inspection,
)
from smartcity.certification.evaluation.tests.conftest import score_everything
from smartcity.certification.models import Application, Call
from smartcity.certification.selectors import application_score
from smartcity.certification.services import create_call
from smartcity.certification.services.workflow import TransitionRefused
from smartcity.core.models import AppendOnlyError, AuditEvent
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework
from smartcity.testing.call_calendar import KST, timeline

pytestmark = pytest.mark.django_db


def audits(action: str) -> list[dict[str, Any]]:
    return [e.data for e in AuditEvent.objects.filter(action=action).order_by("id")]


# --- committees ---------------------------------------------------------------------------


def test_a_city_call_gets_one_committee_per_size_class_once(
    city_call: Call, operator_staff: User
) -> None:
    first = create_committees(actor=operator_staff, call=city_call)
    again = create_committees(actor=operator_staff, call=city_call)
    assert sorted(c.group for c in first) == ["large", "small_medium"]
    assert [c.pk for c in again] == [c.pk for c in first]
    assert "대도시" in Committee.objects.get(call=city_call, group="large").name_ko
    assert len(audits("evaluation.committee_created")) == 2


def test_a_service_call_gets_one_committee_for_its_field(
    city_2023: FrameworkVersion, ministry_officer: User, service_operator_staff: User, clock: Any
) -> None:
    clock.set(dt.datetime(2026, 6, 1, tzinfo=KST))
    call = create_call(
        actor=ministry_officer,
        year=2026,
        framework=FrameworkVersion.objects.get(code="service-transport-2022"),
        title_ko="2026년 스마트도시 서비스 인증 공모",
        timeline=timeline(),
        announced_at=dt.datetime(2026, 6, 1, tzinfo=KST),
    )
    committees = create_committees(actor=service_operator_staff, call=call)
    assert [c.group for c in committees] == ["transport"]


def test_only_the_oversight_of_the_calls_track_forms_committees(
    city_call: Call, service_operator_staff: User, committee_member: User, applicant_city_a: User
) -> None:
    for outsider in (service_operator_staff, committee_member, applicant_city_a):
        with pytest.raises(PermissionDenied):
            create_committees(actor=outsider, call=city_call)


def test_a_common_member_sits_on_every_committee_and_a_new_chair_replaces_the_old(
    committees: dict[str, Committee], operator_staff: User, committee_member: User, member_two: User
) -> None:
    assert set(
        CommitteeMembership.objects.filter(member=committee_member).values_list(
            "committee__group", "is_common"
        )
    ) == {("large", True), ("small_medium", True)}
    small = committees["small_medium"]
    assert small.memberships.get(is_chair=True).member == committee_member
    add_member(actor=operator_staff, committee=small, member=member_two, is_chair=True)
    assert small.memberships.get(is_chair=True).member == member_two


def test_only_committee_members_can_be_seated(
    committees: dict[str, Committee], operator_staff: User, applicant_city_b: User
) -> None:
    with pytest.raises(EvaluationRefused) as refused:
        add_member(actor=operator_staff, committee=committees["large"], member=applicant_city_b)
    assert refused.value.code == "not_a_committee_member"


# --- conflicts ------------------------------------------------------------------------------


def test_detection_records_each_reason_once_and_audits_it(
    committees: dict[str, Committee],
    app_a: Application,
    app_b: Application,
    member_with_conflict: User,
) -> None:
    detect_conflicts(app_a)
    detect_conflicts(app_b)
    assert detect_conflicts(app_a) == []  # idempotent
    found = set(
        ConflictOfInterest.objects.values_list("application_id", "member__username", "reason")
    )
    assert found == {
        (app_a.pk, "local", "same_municipality"),
        (app_a.pk, "local", "same_region"),
        (app_b.pk, "local", "same_region"),  # 90001 and 90002 share the province prefix
    }
    assert {d["reason"] for d in audits("evaluation.conflict_detected")} == {
        "same_municipality",
        "same_region",
    }
    assert len(audits("evaluation.conflict_detected")) == 3


def test_a_conflicted_member_cannot_be_assigned_by_hand(
    committees: dict[str, Committee],
    app_a: Application,
    operator_staff: User,
    member_with_conflict: User,
) -> None:
    with pytest.raises(EvaluationRefused) as refused:
        assign_member(actor=operator_staff, application=app_a, member=member_with_conflict)
    assert refused.value.code == "conflict_of_interest"
    assert not Assignment.objects.filter(member=member_with_conflict).exists()


def test_a_member_at_their_load_limit_cannot_be_assigned(
    committees: dict[str, Committee],
    app_a: Application,
    app_b: Application,
    operator_staff: User,
    member_two: User,
    settings: Any,
) -> None:
    add_member(actor=operator_staff, committee=committees["large"], member=member_two, load_limit=1)
    assign_member(actor=operator_staff, application=app_a, member=member_two)
    with pytest.raises(EvaluationRefused) as refused:
        assign_member(actor=operator_staff, application=app_b, member=member_two)
    assert refused.value.code == "load_limit_reached"


def test_the_default_load_limit_comes_from_settings(
    app_a: Application,
    app_b: Application,
    operator_staff: User,
    committee_member: User,
    settings: Any,
) -> None:
    settings.CERTIFICATION_MEMBER_LOAD_LIMIT = 1
    assign_member(actor=operator_staff, application=app_a, member=committee_member)
    with pytest.raises(EvaluationRefused, match="load_limit_reached"):
        assign_member(actor=operator_staff, application=app_b, member=committee_member)


def test_a_member_who_declares_a_conflict_leaves_the_review(
    assigned: Application, committee_member: User
) -> None:
    record_member_score(
        actor=committee_member,
        application=assigned,
        indicator_code=engine_framework(assigned.framework).indicators[0].code,
        points=Decimal(0),
        rationale="초안",
    )
    conflict = declare_conflict(actor=committee_member, application=assigned, note="자문 이력")
    assert (conflict.source, conflict.reason, conflict.note) == (
        "declared",
        "declared",
        "자문 이력",
    )
    assert has_conflict(committee_member, assigned)
    assert assignment_of(committee_member, assigned) is None
    assert not Assignment.objects.filter(application=assigned, member=committee_member).exists()
    assert audits("evaluation.conflict_declared")[0]["note"] == "자문 이력"
    withdrawn = audits("evaluation.assignment_withdrawn")[0]
    assert withdrawn["member"] == "member" and len(withdrawn["scores"]) == 1
    with pytest.raises(PermissionDenied):
        declare_conflict(actor=committee_member, application=assigned)


def test_only_an_assigned_member_may_declare(app_a: Application, member_two: User) -> None:
    with pytest.raises(PermissionDenied):
        declare_conflict(actor=member_two, application=app_a)


# --- automatic assignment --------------------------------------------------------------------


def test_auto_assign_staffs_each_application_from_its_own_committee(
    committees: dict[str, Committee],
    app_a: Application,
    app_b: Application,
    operator_staff: User,
    committee_member: User,
    member_two: User,
) -> None:
    plan = auto_assign(actor=operator_staff, call=app_a.call, per_application=2)  # type: ignore[arg-type]
    assert plan.unfilled == ()
    pairs = set(Assignment.objects.values_list("application_id", "member__username"))
    assert pairs == {
        (app_a.pk, "member"),
        (app_a.pk, "member2"),
        (app_b.pk, "member"),
        (app_b.pk, "member2"),
    }
    assert ConflictOfInterest.objects.filter(application=app_a, member__username="local").exists()
    assert audits("evaluation.auto_assigned")[0]["assigned"] == 4
    again = auto_assign(actor=operator_staff, call=app_a.call, per_application=2)  # type: ignore[arg-type]
    assert again.assignments == ()


def test_auto_assign_reports_what_it_could_not_fill_and_why(
    committees: dict[str, Committee], app_a: Application, app_b: Application, operator_staff: User
) -> None:
    plan = auto_assign(actor=operator_staff, call=app_a.call, per_application=3)  # type: ignore[arg-type]
    assert {(u.application, u.missing, u.reason) for u in plan.unfilled} == {
        (app_a.pk, 1, "conflicts"),
        (app_b.pk, 1, "not_enough_members"),
    }


def test_auto_assign_is_for_the_tracks_oversight(
    committees: dict[str, Committee], app_a: Application, service_operator_staff: User
) -> None:
    with pytest.raises(PermissionDenied):
        auto_assign(actor=service_operator_staff, call=app_a.call)  # type: ignore[arg-type]


# --- member scores ------------------------------------------------------------------------------


def test_departing_from_the_proposal_needs_a_rationale(
    assigned: Application, committee_member: User
) -> None:
    outcome = application_score(assigned).indicators[0]
    assert outcome.proposal_points is not None and outcome.proposal_points > 0
    with pytest.raises(EvaluationRefused) as refused:
        record_member_score(
            actor=committee_member,
            application=assigned,
            indicator_code=outcome.code,
            points=Decimal(0),
        )
    assert refused.value.code == "rationale_required"
    record_member_score(
        actor=committee_member,
        application=assigned,
        indicator_code=outcome.code,
        points=outcome.proposal_points,
    )
    score = record_member_score(
        actor=committee_member,
        application=assigned,
        indicator_code=outcome.code,
        points=Decimal(0),
        rationale="증빙 불충분",
    )
    assert score.points == 0 and score.rationale == "증빙 불충분"


def test_disagreement_is_flagged_beyond_the_frameworks_spread(
    under_review: Application, committee_member: User, member_two: User
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two, points=Decimal(0))
    framework = engine_framework(under_review.framework)
    panels = {p.code: p for p in indicator_panels(under_review)}
    for indicator in framework.indicators:
        panel = panels[indicator.code]
        spread = max(p for _m, p in panel.members) - min(p for _m, p in panel.members)
        assert panel.disagreement == (spread > framework.disagreement_spread * indicator.points)
    assert any(p.disagreement for p in panels.values())


# --- discussion ---------------------------------------------------------------------------------


def test_members_and_oversight_discuss_applicants_and_conflicted_members_cannot(
    assigned: Application,
    committee_member: User,
    operator_staff: User,
    ministry_officer: User,
    applicant_city_a: User,
    member_with_conflict: User,
    service_operator_staff: User,
    clock: Any,
) -> None:
    post_comment(actor=committee_member, application=assigned, body="B-1 증빙 확인 필요")
    clock.set(clock.now + dt.timedelta(minutes=1))
    code = engine_framework(assigned.framework).indicators[0].code
    post_comment(
        actor=operator_staff, application=assigned, body="확인하겠습니다", indicator_code=code
    )
    post_comment(actor=ministry_officer, application=assigned, body="참고")
    for outsider in (applicant_city_a, member_with_conflict, service_operator_staff):
        with pytest.raises(PermissionDenied):
            post_comment(actor=outsider, application=assigned, body="?")
    with pytest.raises(EvaluationRefused, match="comment_empty"):
        post_comment(actor=committee_member, application=assigned, body="   ")
    with pytest.raises(EvaluationRefused, match="unknown_indicator"):
        post_comment(actor=committee_member, application=assigned, body="x", indicator_code="NOPE")
    bodies = list(Comment.objects.filter(application=assigned).values_list("body", flat=True))
    assert bodies == ["B-1 증빙 확인 필요", "확인하겠습니다", "참고"]
    comment = Comment.objects.first()
    assert comment is not None
    comment.body = "고침"
    with pytest.raises(AppendOnlyError):
        comment.save()
    with pytest.raises(AppendOnlyError):
        comment.delete()
    assert len(audits("evaluation.comment_posted")) == 3


# --- consensus ---------------------------------------------------------------------------------


def test_consensus_waits_for_every_member_and_is_the_operating_bodys(
    under_review: Application, committee_member: User, operator_staff: User, ministry_officer: User
) -> None:
    score_everything(under_review, committee_member)
    with pytest.raises(EvaluationRefused, match="reviews_pending"):
        fix_consensus(actor=operator_staff, application=under_review, scores={})
    with pytest.raises(PermissionDenied):
        fix_consensus(actor=ministry_officer, application=under_review, scores={})


def test_consensus_is_scored_by_the_engine_and_refixing_replaces_it(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two, points=Decimal(0))
    defaults = consensus_defaults(under_review)
    framework = engine_framework(under_review.framework)
    first = framework.indicators[0]
    assert defaults[first.code] == (
        application_score(under_review).indicator(first.code).aggregated
    )
    consensus = fix_consensus(
        actor=operator_staff,
        application=under_review,
        scores={first.code: (first.points, "현장 자료로 확인")},
        minutes="1차 합의",
    )
    expected = sum(
        (first.points if code == first.code else value for code, value in defaults.items()),
        Decimal(0),
    )
    assert consensus.total == expected.quantize(Decimal("0.01"))
    assert consensus.result["engine_version"] and consensus.result["framework_hash"]
    assert consensus.result["areas"][0]["items"][0]["points"]
    assert consensus.scores.count() == len(framework.indicators)
    assert consensus.scores.get(indicator_code=first.code).rationale == "현장 자료로 확인"
    again = fix_consensus(
        actor=operator_staff,
        application=under_review,
        scores={first.code: (Decimal(0), "재검토")},
    )
    assert Consensus.objects.count() == 1
    assert again.total == consensus.total - first.points
    fixed = audits("evaluation.consensus_fixed")
    assert fixed[0]["from"] is None and fixed[1]["refixed"] is True
    assert fixed[1]["from"] == str(consensus.total) and fixed[1]["to"] == str(again.total)


def test_consensus_refuses_points_out_of_range(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two)
    first = engine_framework(under_review.framework).indicators[0]
    with pytest.raises(EvaluationRefused, match="out_of_range"):
        fix_consensus(
            actor=operator_staff,
            application=under_review,
            scores={first.code: (first.points + 1, "")},
        )


# --- site inspection --------------------------------------------------------------------------


@pytest.fixture
def reviewed(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> Application:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two)
    fix_consensus(actor=operator_staff, application=under_review, scores={})
    return under_review


def test_starting_the_inspection_builds_the_checklist_from_claims_to_verify(
    reviewed: Application, operator_staff: User
) -> None:
    items = start_inspection(actor=operator_staff, application=reviewed)
    reviewed.refresh_from_db()
    assert reviewed.status == "site_inspection"
    claim = reviewed.claims.get(to_verify=True)
    assert [(i.indicator_code, i.claimed, i.evidence_reference) for i in items] == [
        (claim.indicator_code, "stage 3", "부록 1, 3쪽")
    ]
    assert audits("evaluation.inspection_started")[0]["items"] == [claim.indicator_code]


def test_the_inspection_cannot_start_while_reviews_are_pending(
    under_review: Application, operator_staff: User
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        start_inspection(actor=operator_staff, application=under_review)
    assert refused.value.code == "reviews_pending"
    assert not InspectionItem.objects.exists()
    under_review.refresh_from_db()
    assert under_review.status == "under_review"


def test_inspection_verdicts_rescore_the_consensus(
    reviewed: Application, operator_staff: User, ministry_officer: User
) -> None:
    (item,) = start_inspection(actor=operator_staff, application=reviewed)
    consensus = Consensus.objects.get(application=reviewed)
    agreed_total = consensus.total
    agreed_points = consensus.scores.get(indicator_code=item.indicator_code).points
    indicator = engine_framework(reviewed.framework).indicator_index[item.indicator_code]
    with pytest.raises(EvaluationRefused, match="adjusted_points_required"):
        record_inspection(actor=operator_staff, item=item, outcome="adjusted")
    with pytest.raises(EvaluationRefused, match="out_of_range"):
        record_inspection(
            actor=operator_staff,
            item=item,
            outcome="adjusted",
            adjusted_points=indicator.points + 1,
        )
    with pytest.raises(PermissionDenied):
        record_inspection(actor=ministry_officer, item=item, outcome="confirmed")

    record_inspection(actor=operator_staff, item=item, outcome="rejected", note="시설 미설치")
    consensus.refresh_from_db()
    assert consensus.scores.get(indicator_code=item.indicator_code).points == 0
    assert consensus.total == agreed_total - agreed_points
    recomputed = audits("evaluation.consensus_recomputed")[-1]
    assert recomputed["from"] == str(agreed_total) and recomputed["to"] == str(consensus.total)

    record_inspection(
        actor=operator_staff, item=item, outcome="adjusted", adjusted_points=Decimal("1.5")
    )
    consensus.refresh_from_db()
    assert consensus.scores.get(indicator_code=item.indicator_code).points == Decimal("1.5")
    assert consensus.result["inspection_overrides"] == {item.indicator_code: "1.50"}

    record_inspection(actor=operator_staff, item=item, outcome="confirmed")
    consensus.refresh_from_db()
    assert consensus.total == agreed_total
    item.refresh_from_db()
    assert item.outcome == "confirmed" and item.decided_by == operator_staff
