"""Sentences for the committee's refusal codes (Korean source, English through gettext)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from smartcity.certification.messages import workflow_refusal_message

#: How many names a refusal lists before it says "and N more".
LISTED = 12


def listing(items: tuple[str, ...]) -> str:
    """``a, b, c`` — at most :data:`LISTED` of them, then how many more."""
    shown = ", ".join(items[:LISTED])
    if len(items) <= LISTED:
        return shown
    return _("%(shown)s 외 %(count)s개") % {"shown": shown, "count": len(items) - LISTED}


def _detailed(code: str, detail: tuple[str, ...]) -> str | None:
    """The sentence for a refusal that names what is missing, or None."""
    if not detail:
        return None
    if code == "review_incomplete":
        return _(
            "점수도 기권 사유도 없는 지표가 %(count)s개 있어 제출할 수 없습니다: %(codes)s"
        ) % {"count": len(detail), "codes": listing(detail)}
    if code == "reviews_pending":
        return _("아직 평가를 제출하지 않은 위원이 있어 합의할 수 없습니다: %(names)s") % {
            "names": listing(detail)
        }
    if code == "consensus_rationale_required":
        return _(
            "위원회 점수와 다른 합의 점수에는 근거가 필요합니다. 근거가 없는 지표: %(codes)s"
        ) % {"codes": listing(detail)}
    if code == "wrong_state":
        return _("신청서가 지금 '%(status)s' 상태여서 이 처리를 할 수 없습니다.") % {
            "status": detail[0]
        }
    if code == "out_of_range" and len(detail) == 2:
        return _("%(code)s 지표의 점수는 0점부터 %(max)s점까지입니다.") % {
            "code": detail[0],
            "max": detail[1],
        }
    if code == "unknown_indicator":
        return _("이 지표 체계에 없는 지표 코드입니다: %(codes)s") % {"codes": listing(detail)}
    if code == "review_not_submitted":
        return _("%(name)s 위원은 아직 평가를 제출하지 않았으므로 다시 열 것이 없습니다.") % {
            "name": detail[0]
        }
    if code == "member_has_assignments":
        return _(
            "이 위원은 이 그룹의 신청서에 배정되어 있어 해촉할 수 없습니다. 먼저 배정을 "
            "해제하세요: %(titles)s"
        ) % {"titles": listing(detail)}
    if code == "review_already_submitted":
        return _(
            "%(name)s 위원은 이미 평가를 제출했으므로 배정을 해제할 수 없습니다. "
            "평가를 다시 열어 고치게 하거나, 이해충돌이면 위원이 신고하게 하세요."
        ) % {"name": detail[0]}
    if code == "not_assigned":
        return _("%(name)s 위원은 이 신청서에 배정되어 있지 않습니다.") % {"name": detail[0]}
    return None


def evaluation_refusal_message(code: str, detail: tuple[str, ...] = ()) -> str:
    """Why a committee action was refused, naming what is missing when ``detail``
    says it; workflow codes fall back to the workflow's."""
    detailed = _detailed(code, detail)
    if detailed is not None:
        return detailed
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
        "abstention_reason_required": _("기권하려면 사유를 의견 칸에 적어야 합니다."),
        "score_or_abstain": _("점수를 입력하거나, 기권하고 사유를 적으세요."),
        "review_incomplete": _("점수도 기권 사유도 없는 지표가 있어 제출할 수 없습니다."),
        "reopen_reason_required": _("평가를 다시 여는 사유를 적어야 합니다."),
        "consensus_already_fixed": _(
            "합의 점수가 이미 확정되어 위원의 평가를 다시 열 수 없습니다."
        ),
        "review_not_submitted": _("이 위원은 아직 평가를 제출하지 않았습니다."),
        "not_assigned": _("이 위원은 이 신청서에 배정되어 있지 않습니다."),
        "consensus_rationale_required": _("위원회 점수와 다른 합의 점수에는 근거가 필요합니다."),
        "confirmation_required": _("제출하려면 확인란에 표시해야 합니다."),
        "not_on_committee": _("이 위원은 이 위원회에 없습니다."),
        "member_has_assignments": _(
            "이 위원은 이 그룹의 신청서에 배정되어 있어 해촉할 수 없습니다. 먼저 배정을 해제하세요."
        ),
        "review_already_submitted": _("이미 평가를 제출한 위원의 배정은 해제할 수 없습니다."),
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
