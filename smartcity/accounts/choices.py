"""Roles and organisation kinds, with Korean labels (English through gettext)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a signed-in person does in the product. One role per account:
    public bodies issue separate accounts for separate duties."""

    MINISTRY_OFFICER = "ministry_officer", _("국토교통부 담당자")
    OPERATING_BODY_STAFF = "operating_body_staff", _("운영기관 담당자")
    COMMITTEE_MEMBER = "committee_member", _("인증평가위원")
    MUNICIPALITY_APPLICANT = "municipality_applicant", _("지자체 신청 담당자")
    COMPANY_APPLICANT = "company_applicant", _("기업 신청 담당자")
    PLATFORM_OPERATOR = "platform_operator", _("통합플랫폼 운영자")
    CENTRE_ADMIN = "centre_admin", _("통합운영센터 관리자")
    AGENCY_OFFICER = "agency_officer", _("유관기관 담당자")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("중앙부처")
    OPERATING_BODY = "operating_body", _("운영기관")
    MUNICIPALITY = "municipality", _("지방자치단체")
    COMPANY = "company", _("기업")
    EXPERT_BODY = "expert_body", _("전문기관·대학")
    OPERATIONS_CENTRE = "operations_centre", _("스마트도시 통합운영센터")
    POLICE = "police", _("경찰(112 상황실)")
    FIRE = "fire", _("소방(119 상황실)")
    DISASTER_ROOM = "disaster_room", _("재난상황실")


class OperatingTrack(models.TextChoices):
    """Which certification an operating body runs (certification.md §1)."""

    CITY = "city", _("스마트도시 인증")
    SERVICE = "service", _("스마트도시 서비스 인증")
