"""Sentences for the committee's refusal codes (Korean source, English through gettext)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from smartcity.certification.messages import workflow_refusal_message


def evaluation_refusal_message(code: str) -> str:
    """Why a committee action was refused; workflow codes fall back to the workflow's."""
    messages = {
        "rationale_required": _("제안 점수와 다르게 평가하면 의견을 적어야 합니다."),
        "out_of_range": _("점수는 0점부터 배점까지입니다."),
        "unknown_indicator": _("이 지표 체계에 없는 지표 코드가 있습니다."),
        "not_a_committee_member": _("인증평가위원 역할의 사용자만 위원으로 둘 수 있습니다."),
        "not_an_application": _("모의인증은 평가 대상이 아닙니다."),
        "conflict_of_interest": _("이해충돌이 있는 위원은 이 신청서를 평가할 수 없습니다."),
        "load_limit_reached": _("이 위원은 최대 배정 건수에 이르렀습니다."),
        "load_limit_invalid": _("최대 배정 건수는 1 이상이어야 합니다."),
        "comment_empty": _("내용을 입력하세요."),
        "comment_too_long": _("내용이 너무 깁니다."),
        "wrong_state": _("신청서의 현재 상태에서는 이 처리를 할 수 없습니다."),
        "no_members_assigned": _("배정된 평가위원이 없습니다."),
        "reviews_pending": _("아직 평가 점수를 제출하지 않은 평가위원이 있습니다."),
        "invalid_outcome": _("확인 결과를 고르세요."),
        "adjusted_points_required": _("조정하려면 조정 점수를 입력해야 합니다."),
        "not_a_number": _("점수는 숫자여야 합니다."),
    }
    text = messages.get(code)
    return text if text is not None else workflow_refusal_message(code)


def unfilled_reason_message(code: str) -> str:
    """Why the assignment plan left places empty (``domain.assignment`` codes)."""
    messages = {
        "no_members_in_group": _("이 그룹의 위원회에 위원이 없습니다."),
        "conflicts": _("이해충돌이 없는 위원이 부족합니다."),
        "not_enough_members": _("위원회의 위원 수가 부족합니다."),
        "load_limit_reached": _("위원들이 최대 배정 건수에 이르렀습니다."),
    }
    return messages.get(code, code)


def conflict_reason_label(code: str) -> str:
    """A conflict of interest's reason code (``domain.conflicts``), as a phrase."""
    messages = {
        "same_organisation": _("신청 기관 소속"),
        "same_municipality": _("신청 지자체 소재 기관"),
        "same_region": _("같은 광역 시·도"),
        "company_ties": _("신청 기업 또는 컨소시엄 지자체와 관련"),
        "declared": _("본인 신고"),
    }
    return messages.get(code, code)
