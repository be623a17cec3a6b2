"""The read-only open-data API: the registry and the published results.

Mounted on the project's one ``NinjaAPI`` (``config/api.py``), so it is in
``/api/openapi.json`` and ``/api/docs``. No authentication and nothing but
published data: the registry's decisions and certificates are public records,
and a committee result leaves only once its application's result has been
announced — whoever asks.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from smartcity.analytics.domain.results import Part, ResultRow
from smartcity.analytics.selectors.results import published_result, result_rows
from smartcity.core.api import ValidationProblem
from smartcity.registry.models import Certificate, Subject

router = Router(tags=["open data"])

MAX_LIMIT = 500


class Kind(StrEnum):
    CITY = "city"
    SERVICE = "service"


class SizeClassParam(StrEnum):
    LARGE = "large"
    SMALL_MEDIUM = "small_medium"


class Page(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="한 번에 돌려줄 최대 건수")
    offset: int = Field(0, ge=0, le=1_000_000, description="건너뛸 건수")


class SubjectOut(Schema):
    id: int
    kind: str = Field(..., description="city(스마트도시) 또는 service(스마트도시 서비스)")
    name: str
    municipality_code: str = Field(..., description="지방자치단체 행정코드(도시 인증)")
    field: str = Field(..., description="서비스 분야")
    holder: str = Field(..., description="서비스 인증 보유자")


class SubjectPage(Schema):
    count: int
    items: list[SubjectOut]


class CertificateOut(Schema):
    number: str = Field(..., description="인증번호")
    kind: str
    subject: str
    subject_id: int
    municipality_code: str
    size_class: str = Field(
        ..., description="large(대도시), small_medium(중소도시), 서비스는 빈 값"
    )
    granted_by: Literal["new", "extension"]
    decided_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    ended_by: str = Field(
        ..., description="extended, replaced, revoked 또는 빈 값(기간 만료까지 유효)"
    )
    source: str


class CertificatePage(Schema):
    count: int
    items: list[CertificateOut]


class CertificateFilter(Schema):
    kind: Kind | None = None
    size_class: SizeClassParam | None = None
    valid_on: dt.date | None = Field(None, description="이 날짜에 유효한 인증서만")
    year: int | None = Field(None, ge=1900, le=2200, description="결정 연도")


class AreaOut(Schema):
    code: str
    points: str = Field(..., description="점수(10진 소수 문자열)")
    max_points: str


class ResultOut(Schema):
    application_id: int
    year: int
    municipality_code: str
    name: str
    size_class: str
    framework: str
    total: str
    max_total: str
    grade: str
    certified: bool
    areas: list[AreaOut]


class ResultDetail(ResultOut):
    indicators: list[AreaOut]


class ResultPage(Schema):
    count: int
    items: list[ResultOut]


class ResultFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="공모 연도")
    size_class: SizeClassParam | None = None
    municipality_code: str | None = Field(None, pattern=r"^\d{5}$")


class NotFound(Schema):
    detail: str


def _certificate(c: Certificate) -> CertificateOut:
    municipality = c.subject.municipality
    return CertificateOut(
        number=c.number,
        kind=c.kind,
        subject=c.subject.name,
        subject_id=c.subject_id,
        municipality_code=municipality.code if municipality else "",
        size_class=c.size_class,
        granted_by="extension" if c.granted_by == "extension" else "new",
        decided_on=c.decision.decided_on,
        valid_from=c.valid_from,
        valid_until=c.valid_until,
        ended_by=c.ended_by,
        source=c.decision.source,
    )


def _parts_out(parts: tuple[Part, ...]) -> list[AreaOut]:
    return [AreaOut(code=p.code, points=str(p.points), max_points=str(p.max_points)) for p in parts]


def _result(r: ResultRow) -> ResultOut:
    return ResultOut(
        application_id=r.application_id,
        year=r.year,
        municipality_code=r.municipality_code,
        name=r.name,
        size_class=r.size_class,
        framework=r.framework_code,
        total=str(r.total),
        max_total=str(r.max_total),
        grade=r.grade,
        certified=r.certified,
        areas=_parts_out(r.areas),
    )


@router.get(
    "/registry/subjects",
    response={200: SubjectPage, 422: ValidationProblem},
    summary="인증 대상 목록",
)
def list_subjects(request: HttpRequest, page: Query[Page], kind: Kind | None = None) -> SubjectPage:
    queryset = Subject.objects.select_related("municipality").order_by("kind", "name", "pk")
    if kind:
        queryset = queryset.filter(kind=kind.value)
    items = [
        SubjectOut(
            id=s.pk,
            kind=s.kind,
            name=s.name,
            municipality_code=s.municipality.code if s.municipality else "",
            field=s.field,
            holder=s.holder,
        )
        for s in queryset[page.offset : page.offset + page.limit]
    ]
    return SubjectPage(count=queryset.count(), items=items)


@router.get(
    "/registry/certificates",
    response={200: CertificatePage, 422: ValidationProblem},
    summary="인증서(유효기간) 목록",
)
def list_certificates(
    request: HttpRequest, page: Query[Page], filters: Query[CertificateFilter]
) -> CertificatePage:
    queryset = Certificate.objects.select_related(
        "subject", "subject__municipality", "decision"
    ).order_by("valid_from", "number")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind.value)
    if filters.size_class:
        queryset = queryset.filter(size_class=filters.size_class.value)
    if filters.valid_on:
        queryset = queryset.filter(
            valid_from__lte=filters.valid_on, valid_until__gte=filters.valid_on
        )
    if filters.year:
        queryset = queryset.filter(decision__decided_on__year=filters.year)
    items = [_certificate(c) for c in queryset[page.offset : page.offset + page.limit]]
    return CertificatePage(count=queryset.count(), items=items)


@router.get(
    "/registry/certificates/{number}",
    response={200: CertificateOut, 404: NotFound},
    summary="인증서 한 건",
)
def get_certificate(request: HttpRequest, number: str) -> Status[CertificateOut | NotFound]:
    if not number.isprintable():  # NUL and other controls: no certificate has one
        return Status(404, NotFound(detail="not found"))
    certificate = (
        Certificate.objects.select_related("subject", "subject__municipality", "decision")
        .filter(number=number.strip().upper())
        .first()
    )
    if certificate is None:
        return Status(404, NotFound(detail="not found"))
    return Status(200, _certificate(certificate))


@router.get(
    "/results",
    response={200: ResultPage, 422: ValidationProblem},
    summary="발표된 평가 결과 목록",
)
def list_results(
    request: HttpRequest, page: Query[Page], filters: Query[ResultFilter]
) -> ResultPage:
    rows = result_rows(
        full=False,
        year=filters.year,
        size_class=filters.size_class.value if filters.size_class else "",
        code=filters.municipality_code or "",
    )
    items = [_result(r) for r in rows[page.offset : page.offset + page.limit]]
    return ResultPage(count=len(rows), items=items)


@router.get(
    "/results/{application_id}",
    response={200: ResultDetail, 404: NotFound, 422: ValidationProblem},
    summary="발표된 평가 결과 한 건(세부지표 포함)",
)
def get_result(request: HttpRequest, application_id: int) -> Status[ResultDetail | NotFound]:
    if not 0 < application_id < 2**31:
        return Status(404, NotFound(detail="not found"))
    row = published_result(application_id)
    if row is None:
        return Status(404, NotFound(detail="not found"))
    detail = ResultDetail(**_result(row).model_dump(), indicators=_parts_out(row.indicators))
    return Status(200, detail)
