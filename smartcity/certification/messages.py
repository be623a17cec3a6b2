"""Sentences for claim errors (Korean source, English through gettext)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from smartcity.certification.domain.claims import ClaimError


def claim_error_message(error: ClaimError) -> str:
    messages = {
        "unknown_indicator": _("이 지표 체계에 없는 지표입니다."),
        "not_a_number": _("숫자를 입력하세요: %(value)s"),
        "negative": _("0 이상이어야 합니다: %(value)s"),
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
        "already_applied": _("이 공모에는 이미 신청했습니다. 공모마다 한 번만 신청할 수 있습니다."),
        "already_submitted": _("이미 제출한 신청서입니다."),
        "application_form_missing": _(
            "지자체장 직인이 찍힌 공모 신청서를 올려야 제출할 수 있습니다."
        ),
        "attestation_missing": _("사본이 원본과 같다는 확인(원본대조필)이 필요합니다."),
        "file_empty": _("빈 파일입니다."),
        "file_too_large": _("파일이 너무 큽니다."),
        "file_executable": _("실행 파일은 올릴 수 없습니다."),
        "file_unknown_type": _("PDF, HWP, HWPX, XLSX, PNG, JPEG 파일만 올릴 수 있습니다."),
        "file_type_mismatch": _("파일 내용이 확장자와 다릅니다."),
    }
    return messages.get(code, code)
