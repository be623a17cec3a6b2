"""The audit log as a person reads it: a label for each kind of event, a name
for each kind of object, and a link to the object where a page shows it.

The codes are written by every app's services (``core.services.record_audit``);
the site, which may import every app, gives them words. A code without a label
is shown as it is, and ``site/tests/test_audit_log.py`` fails until it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from smartcity.certification.choices import WorkflowAction
from smartcity.core.models import AuditEvent
from smartcity.core.selectors import matching_members

ACTION_LABELS: dict[str, Promise] = {
    "accounts.signed_in": _("로그인"),
    "accounts.signed_out": _("로그아웃"),
    "accounts.sign_in_failed": _("로그인 실패"),
    "accounts.sign_in_refused_locked": _("로그인 거부(계정 잠금)"),
    "accounts.sign_in_refused_address": _("로그인 거부(접속 주소 잠금)"),
    "accounts.user_created": _("계정 생성"),
    "accounts.organisation_created": _("기관 등록"),
    "accounts.organisation_changed": _("기관 정보 변경"),
    "accounts.invitation_sent": _("계정 초대"),
    "accounts.invitation_resent": _("계정 초대 재발송"),
    "accounts.invitation_cancelled": _("계정 초대 취소"),
    "accounts.invitation_accepted": _("계정 초대 수락"),
    "accounts.user_deactivated": _("계정 비활성화"),
    "accounts.user_reactivated": _("계정 재활성화"),
    "accounts.user_changed": _("계정 정보 변경"),
    "accounts.role_changed": _("역할 변경"),
    "accounts.password_reset": _("비밀번호 재설정"),
    "accounts.user_renamed": _("계정 표시 이름 변경"),
    "municipalities.register_loaded": _("지방자치단체 목록 적재"),
    "municipalities.population_loaded": _("인구 자료 적재"),
    "frameworks.imported": _("평가 지표 체계 가져오기"),
    "frameworks.published": _("평가 지표 체계 공표"),
    "registry.decision_recorded": _("인증 결정 기록"),
    "registry.decisions_imported": _("인증 결정 일괄 가져오기"),
    "registry.certificate_revoked": _("인증서 취소"),
    "registry.plate_recorded": _("인증패 기록"),
    "certification.call_created": _("공모 생성"),
    "certification.call_updated": _("공모 수정"),
    "certification.call_published": _("공모 공고 게시"),
    "certification.self_assessment_started": _("모의인증 시작"),
    "certification.extension_started": _("연장 신청 시작"),
    "certification.applied_to_call": _("공모에 신청"),
    "certification.claims_saved": _("신청서 지표 값 저장"),
    "certification.attachment_uploaded": _("증빙 문서 제출"),
    "certification.attachment_replaced": _("제출 서류 교체"),
    "certification.attachment_withdrawn": _("제출 서류 철회"),
    "certification.attestation_set": _("원본대조필 확인"),
    "certification.area_declared": _("면적 신고"),
    "certification.version_frozen": _("신청서 판 고정"),
    "certification.supplement_requested": _("소명·보완 요청"),
    "certification.supplement_answered": _("소명·보완 제출"),
    "evaluation.committee_created": _("평가위원회 구성"),
    "evaluation.member_added": _("평가위원 추가"),
    "evaluation.member_removed": _("평가위원 해촉"),
    "evaluation.member_unassigned": _("평가위원 배정 해제"),
    "evaluation.member_assigned": _("평가위원 배정"),
    "evaluation.auto_assigned": _("평가위원 자동 배정"),
    "evaluation.assignment_withdrawn": _("평가위원 배정 철회"),
    "evaluation.conflict_detected": _("이해충돌 발견"),
    "evaluation.conflict_declared": _("이해충돌 신고"),
    "evaluation.score_changed": _("평가 점수 변경"),
    "evaluation.review_submitted": _("서면평가 제출"),
    "evaluation.comment_posted": _("평가 의견 게시"),
    "evaluation.consensus_recomputed": _("합의 점수 재계산"),
    "evaluation.consensus_fixed": _("합의 점수 확정"),
    "evaluation.inspection_started": _("현장실사 시작"),
    "evaluation.inspection_recorded": _("현장실사 결과 기록"),
    "analytics.practice_added": _("우수사례 추가"),
    "analytics.practice_updated": _("우수사례 수정"),
    "analytics.practice_deleted": _("우수사례 삭제"),
    "analytics.call_figures_recorded": _("공모 통계 기록"),
    "operations.tenant_created": _("통합운영센터 등록"),
    "operations.programmes_imported": _("통합플랫폼 보급 사업 가져오기"),
    "operations.programme_applicants_imported": _("통합플랫폼 사업 응모·선정 가져오기"),
    "operations.deployment_recorded": _("통합플랫폼 구축 현황 기록"),
    "operations.agency_created": _("연계 기관 등록"),
    "operations.agency_linked": _("연계 기관 연결"),
    "operations.agency_unlinked": _("연계 기관 연결 해제"),
    "operations.officer_certified": _("담당자 자격 인정"),
    "operations.officer_certification_revoked": _("담당자 자격 취소"),
    "operations.intake_key_issued": _("접수 키 발급"),
    "operations.intake_key_revoked": _("접수 키 폐기"),
    "operations.intake_key_rotated": _("접수 키 재발급"),
    "operations.agency_changed": _("연계 기관 정보 변경"),
    "operations.agency_deactivated": _("연계 기관 사용 중지"),
    "operations.agency_reactivated": _("연계 기관 다시 사용"),
    "operations.agency_link_stopped": _("센터의 연계 기관 영상 제공 중지"),
    "operations.agency_link_restarted": _("센터의 연계 기관 영상 제공 다시 시작"),
    "operations.cctv_import_failed": _("CCTV 목록 가져오기 실패"),
    "operations.cctv_import_interrupted": _("CCTV 목록 가져오기 중단 확인"),
    "operations.cctv_import_retried": _("CCTV 목록 가져오기 다시 시도"),
    "operations.incident_reported": _("상황 접수"),
    "operations.incident_acknowledged": _("상황 확인"),
    "operations.incidents_received": _("상황 일괄 접수(묶음 기록)"),
    "operations.incident_status_changed": _("상황 상태 변경"),
    "operations.incident_note_added": _("상황 메모 추가"),
    "operations.incident_handed_over": _("상황 인계"),
    "operations.incident_auto_closed": _("상황 자동 종료"),
    "operations.cctv_imported": _("CCTV 목록 가져오기"),
    "operations.camera_stream_set": _("CCTV 영상 주소 설정"),
    "operations.layer_imported": _("지도 레이어 가져오기"),
    "operations.video_granted": _("영상 제공 승인"),
    "operations.video_grant_refused": _("영상 제공 거부"),
    "operations.video_extended": _("영상 제공 연장"),
    "operations.video_extend_refused": _("영상 제공 연장 거부"),
    "operations.video_revoked": _("영상 제공 회수"),
    "operations.video_ended": _("영상 제공 종료"),
    "operations.video_break_glass": _("긴급 영상 열람"),
    "operations.video_log_pruned": _("영상 열람 기록 보존기간 경과 삭제"),
    "operations.disaster_area_shared": _("재난 구역 공유"),
    "operations.carrier_event": _("이동통신사 위치 정보 수신"),
    "operations.guardian_contact_viewed": _("보호자 연락처 열람"),
    "operations.carrier_photo_viewed": _("취약계층 당사자 사진 열람"),
    "operations.carrier_photo_refused": _("취약계층 당사자 사진 열람 거부"),
    "operations.carrier_data_purged": _("이동통신사 위치 정보 파기"),
    "operations.incident_refused": _("상황 접수 거부(센터 구역 밖)"),
    "operations.centre_member_moved": _("센터 소속 지방자치단체 이전"),
    "operations.centre_member_removed": _("센터 소속 지방자치단체 제외"),
    "operations.crime_type_created": _("영상 제공 범죄 유형 추가"),
    "operations.crime_type_changed": _("영상 제공 범죄 유형 변경"),
    "operations.crime_type_deleted": _("영상 제공 범죄 유형 삭제"),
    "evaluation.review_reopened": _("위원 평가 다시 열기"),
}
# Workflow steps are written as "certification.<action>" (certification.services.workflow).
for _step in WorkflowAction:
    ACTION_LABELS.setdefault(f"certification.{_step.value}", _step.label)

OBJECT_LABELS: dict[str, Promise] = {
    "accounts.user": _("계정"),
    "accounts.organisation": _("기관"),
    "municipalities.municipality": _("지방자치단체"),
    "municipalities.populationcount": _("인구 자료"),
    "frameworks.frameworkversion": _("평가 지표 체계"),
    "registry.decision": _("인증 결정"),
    "registry.importbatch": _("결정 가져오기"),
    "registry.certificate": _("인증서"),
    "certification.call": _("공모"),
    "certification.application": _("신청서"),
    "evaluation.committee": _("평가위원회"),
    "analytics.goodpractice": _("우수사례"),
    "analytics.callfigures": _("공모 통계"),
    "operations.tenant": _("통합운영센터"),
    "operations.platformprogramme": _("통합플랫폼 보급 사업"),
    "operations.platformdeployment": _("통합플랫폼 구축 현황"),
    "operations.intake_group": _("접수 묶음"),
    "operations.agency": _("연계 기관"),
    "operations.incident": _("상황"),
    "operations.camera": _("CCTV"),
    "operations.cameraimport": _("CCTV 가져오기"),
    "operations.videogrant": _("영상 제공"),
    "operations.videoaccessentry": _("영상 열람 기록"),
    "operations.intakeclient": _("접수 클라이언트"),
    "operations.officercertification": _("담당자 자격"),
    "operations.disasterarea": _("재난 구역"),
    "operations.carriercase": _("이동통신사 위치 사건"),
    "operations.videocrimetype": _("영상 제공 범죄 유형"),
}


def _certificate_url(object_id: str) -> str:
    from smartcity.registry.models import Certificate

    number = Certificate.objects.filter(pk=object_id).values_list("number", flat=True).first()
    return reverse("registry:certificate", args=[number]) if number else ""


def _framework_url(object_id: str) -> str:
    from smartcity.frameworks.models import FrameworkVersion

    code = FrameworkVersion.objects.filter(pk=object_id).values_list("code", flat=True).first()
    return reverse("frameworks:detail", args=[code]) if code else ""


def _by_id(name: str) -> Callable[[str], str]:
    return lambda object_id: reverse(name, args=[int(object_id)])


#: How to link an object of each type (its id as the audit row stores it).
OBJECT_LINKS: dict[str, Callable[[str], str]] = {
    "certification.application": _by_id("certification:edit"),
    "certification.call": _by_id("certification:desk"),
    "accounts.organisation": _by_id("accounts:organisation"),
    "accounts.user": _by_id("accounts:account"),
    "operations.incident": _by_id("operations:incident"),
    "operations.camera": _by_id("operations:camera"),
    "analytics.goodpractice": _by_id("analytics:practice_edit"),
    "registry.certificate": _certificate_url,
    "frameworks.frameworkversion": _framework_url,
}


@dataclass(frozen=True)
class AuditMember:
    """One event inside a group row (ADR 0023), in words."""

    label: str
    known: bool
    object_type: str
    object_id: str
    object_label: str
    object_url: str


@dataclass(frozen=True)
class AuditRow:
    """One audit row in words, with the events inside it that the filter found."""

    event: AuditEvent
    label: str
    known: bool
    object_label: str
    object_url: str
    members: tuple[AuditMember, ...] = ()
    more_members: int = 0


MEMBERS_SHOWN = 10
"""Events of one group row listed under it; the rest are counted."""


def action_label(code: str) -> tuple[str, bool]:
    """The event kind's label, and whether it has one (else the code itself)."""
    label = ACTION_LABELS.get(code)
    return (str(label), True) if label is not None else (code, False)


def object_label(object_type: str) -> str:
    kind = OBJECT_LABELS.get(object_type)
    return str(kind) if kind is not None else object_type


def object_url(object_type: str, object_id: str) -> str:
    link = OBJECT_LINKS.get(object_type)
    if link is None or not object_id.isdigit():
        return ""
    try:
        return link(object_id)
    except NoReverseMatch:
        return ""


def _member(entry: Mapping[str, Any]) -> AuditMember:
    label, known = action_label(str(entry.get("action", "")))
    object_type, object_id = str(entry.get("object_type", "")), str(entry.get("object_id", ""))
    return AuditMember(
        label=label,
        known=known,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label(object_type),
        object_url=object_url(object_type, object_id),
    )


def readable(events: Iterable[AuditEvent], **event_filter: str) -> list[AuditRow]:
    """Rows in words; with an event filter (``action``, ``object_type``,
    ``object_id``), a group row also lists its events that the filter found."""
    rows = []
    for event in events:
        label, known = action_label(event.action)
        found = matching_members(event, **event_filter)
        rows.append(
            AuditRow(
                event=event,
                label=label,
                known=known,
                object_label=object_label(event.object_type),
                object_url=object_url(event.object_type, event.object_id),
                members=tuple(_member(entry) for entry in found[:MEMBERS_SHOWN]),
                more_members=max(0, len(found) - MEMBERS_SHOWN),
            )
        )
    return rows
