from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("모의인증(자가진단)")
    APPLICATION = "application", _("인증 신청")


class CallStatus(models.TextChoices):
    """A call is prepared as a draft, seen only by the oversight of its track,
    until it is opened (공고): then it is public and its passed dates are kept."""

    DRAFT = "draft", _("작성 중(비공개)")
    PUBLISHED = "published", _("공고됨")


class ApplicationStatus(models.TextChoices):
    """Labels for ``domain.workflow.Status`` (the same values; a test keeps them equal)."""

    DRAFT = "draft", _("작성 중")
    SUBMITTED = "submitted", _("제출됨")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("소명·보완 요청")
    EXCLUDED = "excluded", _("평가 제외")
    WITHDRAWN = "withdrawn", _("신청 철회")
    UNDER_REVIEW = "under_review", _("서면평가 중")
    SITE_INSPECTION = "site_inspection", _("현장실사 중")
    REPORTED = "reported", _("결과 보고(승인 대기)")
    APPROVED = "approved", _("국토교통부 승인")
    ANNOUNCED = "announced", _("결과 발표")


class WorkflowAction(models.TextChoices):
    """Labels for ``domain.workflow.Action``."""

    SUBMIT = "submit", _("제출")
    WITHDRAW = "withdraw", _("철회")
    REQUEST_SUPPLEMENT = "request_supplement", _("소명·보완 요청")
    ANSWER_SUPPLEMENT = "answer_supplement", _("소명·보완 제출")
    EXCLUDE = "exclude", _("평가 제외")
    START_REVIEW = "start_review", _("서면평가 시작")
    START_INSPECTION = "start_inspection", _("현장실사 시작")
    REPORT = "report", _("결과 보고")
    RETURN = "return", _("재검토 요청")
    APPROVE = "approve", _("승인")
    ANNOUNCE = "announce", _("결과 발표")
