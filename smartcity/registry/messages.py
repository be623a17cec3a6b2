"""Human sentences for the registry's error codes (Korean source, English through gettext)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from smartcity.registry.domain.decisions_csv import RowError


def _templates() -> dict[str, str]:
    return {
        "undecodable_file": _("파일을 읽을 수 없습니다. UTF-8 또는 CP949 CSV 파일이어야 합니다."),
        "empty_file": _("파일이 비어 있습니다."),
        "field_too_long": _("값이 너무 깁니다(131,072자 초과)."),
        "unterminated_quote": _('따옴표(")가 닫히지 않았습니다. 이 행은 읽지 않았습니다.'),
        "nul_character": _("NUL 문자(\\x00)가 들어 있습니다."),
        "malformed_record": _("CSV 형식이 올바르지 않아 이 행을 읽을 수 없습니다."),
        "too_long": _("값이 너무 깁니다(최대 %(max)s자)."),
        "date_out_of_range": _("결정일은 %(first)s년부터 %(last)s년 사이여야 합니다: %(value)s"),
        "missing_column": _("필수 열이 없습니다."),
        "too_many_cells": _("머리글보다 칸이 많습니다."),
        "invalid_choice": _("허용되지 않는 값입니다: %(value)s"),
        "required": _("값이 필요합니다."),
        "invalid_date": _("날짜가 올바르지 않습니다(YYYY-MM-DD): %(value)s"),
        "invalid_code": _("행정코드는 다섯 자리 숫자여야 합니다: %(value)s"),
        "invalid_grade": _("등급은 1부터 5까지의 숫자여야 합니다(예: 3 또는 3등급): %(value)s"),
        "grade_on_revocation": _("인증 취소 결정에는 등급을 적지 않습니다: %(value)s"),
        "unknown_municipality": _("등록되지 않은 지방자치단체 코드입니다: %(value)s"),
        "duplicate_in_file": _("같은 결정이 %(first_row)s행에 이미 있습니다."),
        "conflicts_with_registry": _(
            "이미 등록된 같은 결정과 %(column)s 값이 다릅니다(등록: %(existing)s, 파일: %(value)s)."
        ),
        "extension_without_certification": _("연장할 이전 인증이 없습니다."),
        "extension_of_lapsed": _(
            "인증이 %(expired_on)s에 만료되었고 유예기간(%(grace_until)s까지)이 지나 "
            "연장할 수 없습니다."
        ),
        "extension_of_revoked": _("%(revoked_from)s부터 취소된 인증은 연장할 수 없습니다."),
        "too_many_extensions": _("연장은 최대 %(max_extensions)s회까지 가능합니다."),
        "extension_same_day": _("인증과 같은 날 또는 그 이전에 연장할 수 없습니다."),
        "revocation_without_valid_certification": _(
            "그 날짜에 유효한 인증이 없어 취소할 수 없습니다."
        ),
        "revocation_already_ended": _(
            "이미 취소·연장·대체되었거나 그렇게 끝나기로 정해진 인증서는 취소할 수 없습니다."
        ),
        "revocation_in_the_past": _(
            "취소의 효력 발생일은 오늘(%(today)s) 이후여야 합니다. 지난 날짜로 소급할 수 없습니다."
        ),
        "revocation_after_expiry": _(
            "효력 발생일이 유효기간 종료일(%(until)s) 뒤입니다. 그 전의 날짜를 고르세요."
        ),
        "duplicate_decision": _("같은 대상에 같은 날 같은 결정이 이미 있습니다."),
        "ground_kind_required": _("취소 근거(부정 취득 또는 기준 미달)를 고르세요."),
        "ground_required": _("취소 사유를 적으세요."),
        "inscription_required": _("동판에 새긴 문구를 적으세요."),
        "control_character": _(
            "제어 문자(%(chars)s)는 쓸 수 없습니다. 해당 문자를 지우고 다시 올리세요."
        ),
    }


def error_message(code: str, params: Mapping[str, str] | None = None) -> str:
    template = _templates().get(code, code)
    try:
        return template % dict(params or {})
    except (KeyError, ValueError):
        return template


def describe_row_error(error: RowError) -> str:
    """One line: where, which field, what is wrong."""
    message = error_message(error.code, error.params)
    if error.row == 0:
        return message
    if error.field:
        return _("%(row)s행 [%(field)s]: %(message)s") % {
            "row": error.row,
            "field": error.field,
            "message": message,
        }
    return _("%(row)s행: %(message)s") % {"row": error.row, "message": message}
