"""The open data's dictionary: every field of every file, its type and its
meaning (Korean source, English through gettext), shown on the open-data
page in both languages. ``test_data_dictionary`` checks it names exactly the
fields the files have."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The kinds of values, as the dictionary names them.
TYPES = {
    "text": _("문자열"),
    "integer": _("정수"),
    "decimal": _("십진수(문자열)"),
    "date": _("날짜(YYYY-MM-DD)"),
    "code": _("코드값"),
}

_SHARED: dict[str, tuple[str, Promise]] = {
    "kind": ("code", _("인증 구분: city(스마트도시), service(스마트도시 서비스)")),
    "subject": ("text", _("인증 대상의 이름(지방자치단체 또는 서비스)")),
    "name": ("text", _("인증 대상 또는 신청 지방자치단체의 이름")),
    "municipality_code": ("code", _("지방자치단체 행정코드(5자리, 서비스는 빈칸)")),
    "subject_code": ("code", _("결정 당시의 행정코드")),
    "holder": ("text", _("서비스 인증을 받은 기관")),
    "field": ("text", _("서비스 인증의 분야")),
    "size_class": ("code", _("도시 유형: large(대도시), small_medium(중소도시) 등")),
    "decided_on": ("date", _("국토교통부의 결정일")),
    "source": ("text", _("결정의 출처(보도자료 등)")),
    "id": ("integer", _("인증 대상의 번호(이 사이트 안에서 고유)")),
    "certificate_number": ("code", _("인증번호")),
    "granted_by": ("code", _("인증서의 근거 결정: new(신규 인증), extension(연장)")),
    "valid_from": ("date", _("유효기간 시작일")),
    "valid_until": ("date", _("유효기간 종료일(취소·연장되면 그 전날)")),
    "ended_by": ("code", _("일찍 끝난 사유: extended, replaced, revoked(없으면 빈칸)")),
    "extension_number": ("integer", _("연장 횟수(신규 인증은 0)")),
    "decision": ("code", _("결정: new(신규), extension(연장), revocation(취소)")),
    "application_id": ("integer", _("신청 번호")),
    "year": ("integer", _("공모 연도")),
    "framework": ("code", _("지표 체계 코드와 판")),
    "total": ("decimal", _("총점")),
    "max_total": ("decimal", _("만점")),
    "grade": ("text", _("등급(1~5, 없으면 빈칸)")),
    "certified": ("integer", _("인증 여부(1: 인증, 0: 미인증)")),
    "indicator": ("code", _("세부지표 코드")),
    "points": ("decimal", _("세부지표 점수")),
    "max_points": ("decimal", _("세부지표 배점")),
    "<area>_points": ("decimal", _("분야별 점수(분야 코드마다 한 열, 예: A_points)")),
    "<area>_max": ("decimal", _("분야별 배점(분야 코드마다 한 열, 예: A_max)")),
}

#: Each file's fields, in the files' column order.
FIELDS: dict[str, tuple[str, ...]] = {
    "certificates": (
        "certificate_number", "kind", "subject", "municipality_code", "holder", "field",
        "size_class", "granted_by", "decided_on", "valid_from", "valid_until", "ended_by",
        "extension_number", "source",
    ),
    "subjects": ("id", "kind", "name", "municipality_code", "field", "holder"),
    "decisions": (
        "kind", "subject", "subject_code", "size_class", "decision", "decided_on", "field",
        "holder", "source",
    ),
    "results": (
        "application_id", "year", "municipality_code", "name", "size_class", "framework",
        "total", "max_total", "grade", "certified", "<area>_points", "<area>_max",
    ),
    "result-indicators": (
        "application_id", "year", "municipality_code", "framework", "indicator", "points",
        "max_points",
    ),
}  # fmt: skip


def dictionary(slug: str) -> list[tuple[str, Promise, Promise]]:
    """(field, type, meaning) of one file's fields, in column order."""
    rows: list[tuple[str, Promise, Promise]] = []
    for name in FIELDS.get(slug, ()):
        kind, meaning = _SHARED[name]
        rows.append((name, TYPES[kind], meaning))
    return rows
