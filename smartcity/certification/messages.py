"""Sentences for claim errors (Korean source, English through gettext)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcity.certification.choices import ApplicationStatus, WorkflowAction
from smartcity.certification.domain.claims import ClaimError
from smartcity.certification.domain.completeness import Missing
from smartcity.certification.models import Attachment
from smartcity.registry.messages import error_message as registry_error_message
from smartcity.scoring import Indicator


def claim_error_message(error: ClaimError) -> str:
    messages = {
        "unknown_indicator": _("이 지표 체계에 없는 지표입니다."),
        "not_a_number": _("숫자를 입력하세요: %(value)s"),
        "negative": _("0 이상이어야 합니다: %(value)s"),
        "over_100": _("백분율은 100을 넘을 수 없습니다: %(value)s"),
        "not_yes_no": _("예 또는 아니오를 고르세요: %(value)s"),
        "stage_out_of_range": _("성숙도 단계는 1~5입니다: %(value)s"),
    }
    return messages.get(error.code, error.code) % {"value": error.value}


def refusal_message(code: str) -> str:
    """Why an application, a document or a submission was refused."""
    messages = {
        "call_not_open": _("지금은 접수 기간이 아닙니다."),
        "deadline_passed": _("접수 마감 시각이 지나 제출할 수 없습니다(서버 시각 기준)."),
        "framework_differs": _(
            "이 공모는 다른 지표 체계를 씁니다. "
            "같은 지표 체계로 작성한 모의인증만 신청서로 바꿀 수 있습니다."
        ),
        "track_differs": _("인증 구분이 공모와 다릅니다."),
        "population_missing": _(
            "등록부에 이 지방자치단체의 주민등록인구가 없어 도시 유형을 정할 수 없습니다. "
            "운영기관에 문의하세요."
        ),
        "already_applied": _("이 공모에는 이미 신청했습니다. 공모마다 한 번만 신청할 수 있습니다."),
        "already_submitted": _("이미 제출한 신청서입니다."),
        "application_form_missing": _(
            "지자체장 직인이 찍힌 공모 신청서를 올려야 제출할 수 있습니다."
        ),
        "attestation_missing": _("사본이 원본과 같다는 확인(원본대조필)이 필요합니다."),
        "incomplete": _("빠진 항목이 있어 제출할 수 없습니다."),
        "document_frozen": _(
            "제출한 신청서의 서류는 바꾸거나 철회할 수 없습니다. 소명·보완 자료는 새로 올리세요."
        ),
        "file_empty": _("빈 파일입니다."),
        "file_too_large": _("파일이 너무 큽니다."),
        "file_executable": _("실행 파일은 올릴 수 없습니다."),
        "file_unknown_type": _("PDF, HWP, HWPX, XLSX, PNG, JPEG 파일만 올릴 수 있습니다."),
        "file_type_mismatch": _("파일 내용이 확장자와 다릅니다."),
        "file_unsafe_archive": _(
            "압축을 풀면 지나치게 커지는 파일(압축 폭탄)이어서 올릴 수 없습니다. "
            "HWPX·XLSX 문서는 원래 프로그램에서 다시 저장해 올리세요."
        ),
    }
    return messages.get(code, code)


def workflow_refusal_message(code: str) -> str:
    """Why a workflow step was refused (every code ``domain.workflow.decide``
    returns, and the services' own); other codes fall back to ``refusal_message``."""
    messages = {
        "not_your_action": _("이 처리는 귀하의 권한이 아닙니다."),
        "wrong_state": _("신청서의 현재 상태에서는 이 처리를 할 수 없습니다."),
        "call_not_open": _("지금은 접수 기간이 아닙니다."),
        "deadline_passed": _("접수 마감 시각이 지나 제출할 수 없습니다(서버 시각 기준)."),
        "application_form_missing": _(
            "지자체장 직인이 찍힌 공모 신청서를 올려야 제출할 수 있습니다."
        ),
        "attestation_missing": _("사본이 원본과 같다는 확인(원본대조필)이 필요합니다."),
        "supplement_due_in_past": _("소명·보완 기한은 지금(서버 시각)보다 뒤여야 합니다."),
        "reason_required": _("사유를 적어야 합니다."),
        "supplement_deadline_passed": _(
            "소명·보완 기한이 지나 제출할 수 없습니다(서버 시각 기준)."
        ),
        "submission_still_open": _("접수 기간이 끝난 뒤에 서면평가를 시작할 수 있습니다."),
        "no_members_assigned": _("평가위원을 배정해야 서면평가를 시작할 수 있습니다."),
        "reviews_pending": _("아직 평가 점수를 제출하지 않은 평가위원이 있습니다."),
        "nothing_to_verify": _("현장 확인 대상 지표가 없어 현장실사가 필요하지 않습니다."),
        "consensus_missing": _("평가위원회의 합의 점수가 아직 확정되지 않았습니다."),
        "inspection_required": _("현장 확인 대상 지표가 있어 현장실사를 먼저 해야 합니다."),
        "inspection_pending": _("현장실사에서 아직 확인하지 않은 항목이 있습니다."),
        "report_pending_approval": _("보고한 결과가 국토교통부의 승인을 기다리고 있습니다."),
        "approval_deadline_passed": _(
            "승인 기한이 지났습니다. 운영기관이 결과를 다시 보고해야 합니다."
        ),
        "unknown_indicator": _("이 지표 체계에 없는 지표 코드가 있습니다."),
        "no_open_supplement": _("답변할 소명·보완 요청이 없습니다."),
        "unknown_action": _("이 화면에서 할 수 없는 처리입니다."),
    }
    text = messages.get(code)
    return text if text is not None else refusal_message(code)


def workflow_success_message(action: str) -> str:
    """What the person who took a workflow step is told it did."""
    messages = {
        "submit": _("신청서를 제출했습니다."),
        "withdraw": _("신청을 철회했습니다."),
        "request_supplement": _("소명·보완을 요청했습니다. 신청 기관에 알렸습니다."),
        "answer_supplement": _("소명·보완 자료를 제출했습니다. 새 제출본이 고정되었습니다."),
        "exclude": _("평가 대상에서 제외했습니다. 신청 기관에 사유를 알렸습니다."),
        "start_review": _("서면평가를 시작했습니다. 평가위원에게 알렸습니다."),
        "start_inspection": _("현장실사를 시작했습니다."),
        "report": _("평가 결과를 국토교통부에 보고했습니다."),
        "return": _("운영기관에 재검토를 요청했습니다."),
        "approve": _("평가 결과를 승인했습니다."),
        "announce": _("인증 결과를 발표했습니다."),
    }
    return messages.get(action, action)


def status_label(value: str) -> str:
    """The translated label of an application status (``choices.ApplicationStatus``)."""
    try:
        return str(ApplicationStatus(value).label)
    except ValueError:
        return value


def action_label(value: str) -> str:
    """The translated label of a workflow action (``choices.WorkflowAction``)."""
    try:
        return str(WorkflowAction(value).label)
    except ValueError:
        return value


def results_refusal_message(code: str, params: dict[str, str] | None = None) -> str:
    """Why an announcement or an extension was refused: its own codes, the
    registry's lifecycle codes, then the workflow's."""
    messages = {
        "certificate_revoked": _("취소된 인증은 연장할 수 없습니다."),
        "certificate_superseded": _("이미 연장되었거나 새 인증으로 대체된 인증서입니다."),
        "certificate_lapsed": _(
            "유효기간과 유예기간이 모두 지나 연장할 수 없습니다. 신규로 신청하세요."
        ),
        "too_many_extensions": _("연장 횟수를 모두 사용했습니다. 신규로 신청하세요."),
        "call_required": _("연장 신청할 공모를 고르세요."),
    }
    if code in messages:
        return messages[code]
    registry_text = registry_error_message(code, params)
    return registry_text if registry_text != code else workflow_refusal_message(code)


def missing_item_message(item: Missing, indicator: Indicator | None) -> str:
    """One line of the completeness refusal (``domain.completeness.Missing``)."""
    if item.kind in ("indicator", "reason"):
        name = ""
        if indicator is not None:
            name = indicator.name_en if get_language() == "en" else indicator.name_ko
        if item.kind == "reason":
            text = _("%(code)s %(name)s: 해당 없음으로 표시했지만 사유가 없습니다.")
        else:
            text = _("%(code)s %(name)s: 값을 입력하거나 해당 없음으로 표시하고 사유를 적으세요.")
        return text % {"code": item.code, "name": name}
    if item.kind == "document":
        label = dict(Attachment.Kind.choices).get(item.code, item.code)
        return _("필수 서류가 없습니다: %(kind)s") % {"kind": label}
    return _("사본이 원본과 같다는 확인(원본대조필)이 필요합니다.")


def call_problem_message(code: str) -> str:
    """Why the call form, or opening a call, was refused (per field)."""
    messages = {
        "required": _("필수 항목입니다."),
        "naive_datetime": _("시간대가 없는 일시입니다. 한국 표준시(KST)로 입력하세요."),
        "out_of_range": _("2000년부터 2200년 사이의 날짜를 입력하세요."),
        "before_previous": _("앞 단계의 일시보다 이를 수 없습니다. 단계의 순서대로 입력하세요."),
        "window_empty": _("접수 마감은 접수 시작보다 늦어야 합니다(초 단위, KST)."),
        "framework_not_published": _("공표된 지표 체계만 공모에 쓸 수 있습니다."),
        "framework_fixed": _("공고된 공모의 지표 체계는 바꿀 수 없습니다."),
        "no_documents": _("제출 서류를 하나 이상 고르세요."),
        "unknown_document": _("알 수 없는 서류 종류입니다."),
        "duplicate_document": _("같은 서류 종류를 두 번 고를 수 없습니다."),
        "reason_required": _(
            "이미 지난 일정(또는 지난 시각으로 옮기는 일정)을 바꾸려면 사유를 적어야 합니다. "
            "사유는 감사 기록에 남고 신청 기관과 평가위원에게 알려집니다."
        ),
        "already_published": _("이미 공고된 공모입니다."),
    }
    return str(messages.get(code, code))
