"""Sentences for the platform's codes (Korean source, English through gettext)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _


def _rejection_reasons() -> dict[str, str]:
    return {
        "missing_coordinates": _("좌표가 없거나 숫자가 아닙니다"),
        "placeholder_coordinates": _("임시 좌표(0 또는 자리표시 값)입니다"),
        "out_of_korea": _("좌표가 대한민국 밖입니다"),
        "outside_area": _("좌표가 이 지방자치단체 구역 밖입니다"),
        "duplicate": _("앞 행과 중복입니다"),
        "impossible_value": _("있을 수 없는 값입니다"),
        "malformed_row": _(
            "CSV 행으로 읽을 수 없습니다(머리글보다 많은 칸, 닫히지 않은 따옴표, "
            "131,072자를 넘는 값 또는 NUL 문자)"
        ),
        "missing_key": _("관리번호(식별자)가 없습니다"),
        "key_too_long": _("관리번호(식별자)가 64자를 넘습니다"),
        "unknown_layout": _("위도·경도 열이 없는 파일입니다"),
        "undecodable": _("UTF-8 또는 CP949로 읽을 수 없는 파일입니다"),
    }


def rejection_reason(code: str) -> str:
    return _rejection_reasons().get(code, code)


def _refusals() -> dict[str, str]:
    return {
        "not_allowed_for_actor": _("이 진행 상태는 지정할 수 없습니다."),
        "already_final": _("이미 종료된 상황입니다."),
        "initial_only": _("발생 상태는 새 상황에만 쓸 수 있습니다."),
        "no_change": _("이미 그 진행 상태입니다."),
        "backwards": _("진행 상태를 이전 단계로 되돌릴 수 없습니다."),
        "not_initial": _("새 상황은 발생 상태로만 접수할 수 있습니다."),
        "not_found": _("상황을 찾을 수 없습니다."),
        "already_acknowledged": _("다른 운영자가 이미 확인한 상황입니다."),
        "same_tenant": _("같은 센터로는 이관할 수 없습니다."),
        "moved": _("다른 센터로 이관된 상황입니다."),
        "unknown_status": _("알 수 없는 진행 상태입니다."),
        "unknown_tenant": _("알 수 없는 센터입니다."),
        "served_elsewhere": _(
            "%(municipality)s은(는) 이미 %(centre)s이(가) 맡고 있습니다. 옮기려면 이전을 "
            "선택하세요."
        ),
        "unknown_municipality": _("등록되지 않은 지방자치단체 코드입니다: %(municipality)s"),
        "idempotency_key_reused": _("같은 Idempotency-Key가 다른 내용의 요청에 이미 쓰였습니다."),
        "key_revoked": _("폐기된 키는 재발급할 수 없습니다. 새 연계 시스템을 등록하세요."),
        "agency_inactive": _("사용을 중지한 연계 기관입니다."),
        "import_not_retryable": _(
            "진행 중이거나 끝났거나 이미 다시 시도한 가져오기는 다시 시도할 수 없습니다."
        ),
        "import_file_gone": _(
            "올렸던 파일이 서버에 남아 있지 않습니다. 파일을 다시 올려 가져오세요."
        ),
    }


def refusal_message(code: str, params: Mapping[str, object] | None = None) -> str:
    template = _refusals().get(code, code)
    try:
        return template % dict(params) if params else template
    except (KeyError, ValueError, TypeError):
        return template


def _intake_errors() -> dict[str, str]:
    return {
        "unknown_event_type": _("등록되지 않은 상황 유형입니다: %(value)s"),
        "event_type_not_allowed": _("이 기관은 이 상황 유형을 보낼 수 없습니다: %(value)s"),
        "unknown_grade": _("등록되지 않은 등급입니다: %(value)s"),
        "unknown_status": _("등록되지 않은 진행 상태입니다: %(value)s"),
        "unknown_incident": _("이 발생 번호의 상황이 없습니다: %(value)s"),
        "out_of_korea": _("좌표가 대한민국 밖입니다."),
        "invalid_time": _("발생 일시 형식이 올바르지 않습니다(ISO 8601 또는 yyyyMMddHHmmssSSS)."),
        "time_in_future": _("발생 일시가 미래입니다."),
        "time_out_of_range": _("일시가 1970년 이전이거나 나타낼 수 없는 값입니다."),
        "control_character": _(
            "제어 문자(NUL 등)는 보낼 수 없습니다: %(position)s번째 글자입니다."
        ),
        "unknown_event_kind": _("알 수 없는 사회적 약자 이벤트 종류입니다: %(value)s"),
        "photo_not_an_image": _("사진은 base64로 인코딩한 JPEG 또는 PNG 이미지여야 합니다."),
        "photo_too_large": _("사진이 너무 큽니다(최대 %(limit)s바이트, 1,600만 화소)."),
        "outside_centre": _(
            "신고 위치(위도 %(latitude)s, 경도 %(longitude)s)가 %(centre)s이(가) 맡은 "
            "지방자치단체(%(area)s) 구역 밖이라 접수하지 않았습니다."
        ),
        "area_code_outside_centre": _(
            "지역 코드 %(value)s의 지방자치단체는 %(centre)s이(가) 맡고 있지 않아 접수하지 "
            "않았습니다(맡은 지방자치단체: %(area)s)."
        ),
    }


def intake_error_message(code: str, params: Mapping[str, object] | None = None) -> str:
    template = _intake_errors().get(code, code)
    try:
        return template % dict(params or {})
    except (KeyError, ValueError, TypeError):
        return template


def _video_refusals() -> dict[str, str]:
    return {
        "not_an_officer": _("연계 기관 담당자만 영상을 볼 수 있습니다."),
        "not_certified": _("영상 열람 인증을 받은 담당자만 영상을 볼 수 있습니다."),
        "other_agency": _("영상 제공 내역을 찾을 수 없습니다."),
        "not_found": _("영상 제공 내역을 찾을 수 없습니다."),
        "camera_not_granted": _("이 CCTV는 제공 범위에 없습니다."),
        "revoked": _("센터가 영상 제공을 중단했습니다."),
        "incident_closed": _("종료된 상황이라 영상을 제공하지 않습니다."),
        "expired": _("영상 제공 시간이 끝났습니다."),
        "token_malformed": _("영상 주소가 올바르지 않습니다."),
        "token_forged": _("영상 주소가 올바르지 않습니다."),
        "token_expired": _("영상 주소의 유효 시간이 지났습니다."),
        "token_replayed": _("이미 사용한 영상 주소입니다."),
        "token_mismatch": _("다른 사용자에게 발급된 영상 주소입니다."),
        "not_video_crime": _("경찰에는 영상 제공 대상 범죄(%(crimes)s)에만 영상을 제공합니다."),
        "agency_not_eligible": _("이 기관에는 이 상황의 영상을 제공할 근거가 없습니다."),
        "no_cameras": _("제공할 CCTV를 하나 이상 고르세요."),
        "justification_required": _("긴급 열람 사유를 10자 이상 적어 주세요."),
        "agency_not_linked": _("이 센터와 연계되지 않은 기관입니다."),
        "too_many_extensions": _("더 이상 연장할 수 없습니다. 센터에 다시 요청하세요."),
        "camera_not_offered": _(
            "현장 주변, 조회한 도주 경로, 공유하는 재난 영역의 CCTV만 제공할 수 있습니다. "
            "제시되지 않은 CCTV: %(cameras)s"
        ),
        "route_out_of_bounds": _(
            "도주 경로는 거리 50~5,000m, 좌우 폭 5~300m 안에서만 조회할 수 있습니다."
        ),
        "incident_ambiguous": _(
            "이 발생 번호의 상황이 여러 센터에 있습니다. 센터에 상황 번호를 확인해 상황 번호로 "
            "요청하세요."
        ),
    }


def video_refusal_message(code: str, params: Mapping[str, object] | None = None) -> str:
    template = _video_refusals().get(code, refusal_message(code))
    if code == "not_video_crime" and not params:
        # The types are data (``VideoCrimeType``): name the ones in force now.
        from smartcity.operations.selectors.crime_rules import video_crime_table

        params = {"crimes": ", ".join(video_crime_table().names.values()) or "—"}
    try:
        return template % dict(params or {}) if params else template
    except (KeyError, ValueError, TypeError):
        return template


def _session_ends() -> dict[str, str]:
    return {
        "expired": _("영상 제공 시간이 %(time)s에 끝났습니다. 더 보려면 센터에 다시 요청하세요."),
        "revoked": _("센터가 %(time)s에 영상 제공을 중단했습니다."),
        "incident_closed": _("상황이 종료되어 %(time)s에 영상 제공이 끝났습니다."),
        "not_certified": _(
            "담당자의 영상 열람 인증이 %(time)s에 끝나 영상을 볼 수 없습니다. "
            "인증을 갱신한 뒤 다시 여세요."
        ),
        "idle": _("%(time)s 이후 화면 요청이 없어 열람을 닫았습니다."),
    }


def session_end_message(cause: str, at: dt.datetime) -> str:
    """Why a viewing ended, with the real end time in the centre's time zone (KST)."""
    template = _session_ends().get(cause, video_refusal_message(cause))
    try:
        return template % {"time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")}
    except (KeyError, ValueError, TypeError):
        return template


def _close_reasons() -> dict[str, str]:
    return {
        "expired": _("열람 시간 종료"),
        "revoked": _("센터가 중단"),
        "incident_closed": _("상황 종료"),
        "not_certified": _("열람 인증 만료"),
        "idle": _("화면 요청 없음(화면을 닫음)"),
    }


def close_reason_label(cause: str) -> str:
    """A viewing session's end reason in a few words (the access log's column)."""
    return _close_reasons().get(cause, video_refusal_message(cause))


def _gateway_problems() -> dict[str, str]:
    return {
        "centre_limit": _(
            "이 센터의 동시 영상 수가 한도에 이르렀습니다. "
            "다른 화면을 닫거나 잠시 뒤 다시 시도하세요."
        ),
        "no_stream_address": _("이 CCTV에는 영상 스트림 주소가 등록되어 있지 않습니다."),
        "no_ffmpeg": _("영상 게이트웨이(ffmpeg)가 설치되어 있지 않아 영상을 보낼 수 없습니다."),
        "stream_failed": _("CCTV의 영상을 받지 못했습니다. 잠시 뒤 다시 시도합니다."),
    }


def gateway_message(code: str) -> str:
    """Why the gateway sends no video now (the stream address is never named)."""
    return _gateway_problems().get(code, _gateway_problems()["stream_failed"])


def _programme_errors() -> dict[str, str]:
    return {
        "undecodable_file": _("파일을 읽을 수 없습니다. UTF-8 또는 CP949 CSV 파일이어야 합니다."),
        "empty_file": _("파일이 비어 있습니다."),
        "field_too_long": _("값이 너무 깁니다(131,072자 초과)."),
        "unterminated_quote": _('따옴표(")가 닫히지 않았습니다. 이 행은 읽지 않았습니다.'),
        "nul_character": _("NUL 문자(\\x00)가 들어 있습니다."),
        "malformed_record": _("CSV 형식이 올바르지 않아 이 행을 읽을 수 없습니다."),
        "missing_column": _("필수 열이 없습니다."),
        "too_many_cells": _("머리글보다 칸이 많습니다."),
        "too_long": _("값이 너무 깁니다(최대 %(max)s자)."),
        "control_character": _(
            "제어 문자(%(chars)s)는 쓸 수 없습니다. 해당 문자를 지우고 다시 올리세요."
        ),
        "required": _("값이 필요합니다."),
        "invalid_number": _("0 이상의 정수여야 합니다: %(value)s"),
        "number_out_of_range": _("값은 %(low)s부터 %(high)s 사이여야 합니다: %(value)s"),
        "invalid_date": _("날짜가 올바르지 않습니다(YYYY-MM-DD): %(value)s"),
        "year_out_of_range": _("연도는 %(low)s년부터 %(high)s년 사이여야 합니다: %(value)s"),
        "invalid_code": _("행정코드는 다섯 자리 숫자여야 합니다: %(value)s"),
        "invalid_choice": _("허용되지 않는 값입니다: %(value)s"),
        "national_over_budget": _("국비가 지자체당 사업비보다 많습니다."),
        "more_selected_than_applied": _("선정 지자체 수가 응모 지자체 수보다 많습니다."),
        "duplicate_in_file": _("같은 행이 %(first_row)s행에 이미 있습니다."),
        "unknown_programme": _("등록되지 않은 사업 연도입니다: %(value)s. 사업을 먼저 가져오세요."),
        "unknown_municipality": _("등록되지 않은 지방자치단체 코드입니다: %(value)s"),
        "more_applicants_than_reported": _(
            "%(year)s년 사업의 응모 지자체가 %(count)s곳으로, 발표된 수(%(reported)s)보다 많습니다."
        ),
        "more_selections_than_reported": _(
            "%(year)s년 사업의 선정 지자체가 %(count)s곳으로, 발표된 수(%(reported)s)보다 많습니다."
        ),
        "not_a_member": _("이 센터가 맡고 있지 않은 지방자치단체입니다."),
        "subsidy_out_of_range": _("지원금은 0 이상이고 1,000조 원 이하여야 합니다."),
        "since_out_of_range": _("운영 시작일은 2000년부터 2100년 사이여야 합니다."),
    }


def programme_error_message(row: int, field: str, code: str, params: Mapping[str, str]) -> str:
    """One line: where (row, column), then what is wrong."""
    template = _programme_errors().get(code, code)
    try:
        message = template % dict(params) if params else template
    except (KeyError, ValueError, TypeError):
        message = template
    if row == 0:
        return message
    if field:
        return _("%(row)s행 [%(field)s]: %(message)s") % {
            "row": row, "field": field, "message": message,
        }  # fmt: skip
    return _("%(row)s행: %(message)s") % {"row": row, "message": message}
