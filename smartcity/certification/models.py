"""Applications and self-assessments (모의인증), and the claims they make per indicator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.certification.choices import (
    ApplicationKind,
    ApplicationStatus,
    CallStatus,
    WorkflowAction,
)
from smartcity.core.models import AppendOnlyError
from smartcity.frameworks.choices import FrameworkKind


class Call(models.Model):
    """A call for applications (공모): its year, track, framework, size-class
    rule and timeline. Phases switch on the server's clock (``domain.calls``).

    A draft is seen only by the oversight of its track; once published
    (``services.calls.publish_call``) it is public, and moving a date that has
    passed needs a reason and is told to the call's applicants and committee."""

    status = models.CharField(
        _("공고 상태"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    published_at = models.DateTimeField(_("공고 게시 일시"), null=True, blank=True)
    notice = models.TextField(_("공고문"), blank=True)

    year = models.PositiveIntegerField(_("연도"))
    track = models.CharField(_("인증 구분"), max_length=10, choices=FrameworkKind.choices)
    field = models.CharField(_("분야"), max_length=40, blank=True)
    title_ko = models.CharField(_("공모명"), max_length=200)
    title_en = models.CharField(_("공모명(영문)"), max_length=200, blank=True)
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="calls"
    )
    size_class_rule = models.ForeignKey(
        "municipalities.SizeClassRule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    population_reference_date = models.DateField(_("인구 기준일"), null=True, blank=True)
    announced_at = models.DateTimeField(_("공고 일시"))
    briefing_at = models.DateTimeField(_("설명회 일시"), null=True, blank=True)
    submission_opens_at = models.DateTimeField(_("접수 시작"))
    submission_closes_at = models.DateTimeField(_("접수 마감"))
    written_review_starts_at = models.DateTimeField(_("서면평가 시작"))
    site_inspection_starts_at = models.DateTimeField(_("현장실사 시작"))
    decision_starts_at = models.DateTimeField(_("결과 보고·승인 시작"))
    approval_due_at = models.DateTimeField(_("승인 기한"), null=True, blank=True)
    results_announced_at = models.DateTimeField(_("결과 발표"))
    required_documents = models.JSONField(_("제출 서류"), default=list, blank=True)

    class Meta:
        verbose_name = _("공모")
        verbose_name_plural = _("공모")
        ordering = ["-year", "track"]
        constraints = [
            models.CheckConstraint(
                name="call_submission_window_ordered",
                condition=models.Q(submission_opens_at__lt=models.F("submission_closes_at")),
            )
        ]

    def __str__(self) -> str:
        return self.title_ko


class Application(models.Model):
    """An applicant's structured form against one framework version.

    A self-assessment is the same form, private to the applicant, scored live
    by the same engine; it becomes an application when a call opens.
    """

    kind = models.CharField(_("구분"), max_length=20, choices=ApplicationKind.choices)
    track = models.CharField(_("인증 구분"), max_length=10, choices=FrameworkKind.choices)
    status = models.CharField(
        _("상태"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("신청 기관"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("지방자치단체"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    service_name = models.CharField(_("서비스명"), max_length=200, blank=True)
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion",
        verbose_name=_("지표 체계"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    call = models.ForeignKey(
        Call,
        verbose_name=_("공모"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    size_class = models.CharField(_("도시 유형"), max_length=12, blank=True)
    attested = models.BooleanField(
        _("원본대조필 확인"),
        default=False,
        help_text=_("제출한 사본이 원본과 같음을 신청 기관이 확인합니다."),
    )
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    title = models.CharField(_("제목"), max_length=200)
    area_km2 = models.DecimalField(
        _("행정구역 면적(㎢)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("면적 대비 지표의 분모입니다. 신청 기관이 기재하고 위원회가 확인합니다."),
    )
    consortium_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("컨소시엄 지방자치단체"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consortium_applications",
        help_text=_("서비스 인증을 지자체와 컨소시엄으로 신청할 때의 상대 지자체입니다."),
    )
    extends_certificate = models.ForeignKey(
        "registry.Certificate",
        verbose_name=_("연장 대상 인증서"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extension_applications",
    )
    previous_application = models.ForeignKey(
        "self",
        verbose_name=_("이전 신청서"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        help_text=_("연장(재심사) 신청서가 미리 채워진 원래 신청서입니다."),
    )
    status_changed_at = models.DateTimeField(_("상태 변경 일시"), null=True, blank=True)
    exclusion_reason = models.TextField(_("평가 제외 사유"), blank=True)
    reported_at = models.DateTimeField(_("결과 보고 일시"), null=True, blank=True)
    approval_due_at = models.DateTimeField(_("승인 기한"), null=True, blank=True)
    approved_at = models.DateTimeField(_("승인 일시"), null=True, blank=True)
    announced_at = models.DateTimeField(_("결과 발표 일시"), null=True, blank=True)
    result_certified = models.BooleanField(_("인증 여부"), null=True, blank=True)
    decision = models.OneToOneField(
        "registry.Decision",
        verbose_name=_("인증 결정"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("신청서")
        verbose_name_plural = _("신청서")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                name="application_city_has_municipality",
                condition=~models.Q(track="city") | models.Q(municipality__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=models.Q(kind="application"),
                name="application_one_per_call",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Claim(models.Model):
    """What the applicant claims for one indicator, and where its evidence is.

    ``evidence_reference`` is the digital 조견표 line: the file and page where
    the evidence for this claim sits.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="claims")
    indicator_code = models.CharField(_("지표 코드"), max_length=40)
    value = models.DecimalField(_("값"), max_digits=18, decimal_places=4, null=True, blank=True)
    flag = models.BooleanField(_("충족 여부"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(_("성숙도 단계"), null=True, blank=True)
    justification = models.TextField(_("근거 설명"), blank=True)
    evidence_reference = models.CharField(_("증빙 위치(파일·쪽)"), max_length=300, blank=True)
    to_verify = models.BooleanField(_("현장 확인 대상"), default=False)
    not_applicable = models.BooleanField(
        _("해당 없음"),
        default=False,
        help_text=_("이 지표가 신청 기관에 해당하지 않을 때 표시하고 사유를 적습니다."),
    )
    not_applicable_reason = models.TextField(_("해당 없음 사유"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("지표별 제안")
        verbose_name_plural = _("지표별 제안")
        ordering = ["application", "indicator_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "indicator_code"], name="claim_one_per_indicator"
            ),
            models.CheckConstraint(
                name="claim_stage_between_1_and_5",
                condition=models.Q(stage__isnull=True) | models.Q(stage__gte=1, stage__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.indicator_code}"


class Attachment(models.Model):
    """An uploaded document, checked by its real content and stored with its hash.

    Files live outside the static and media URLs; they are only ever served by
    a view that loads the application through ``access_application``.
    """

    class Kind(models.TextChoices):
        APPLICATION_FORM = "application_form", _("공모 신청서(지자체장 직인)")
        PROPOSAL = "proposal", _("정량지표 평가제안서")
        SELF_EVALUATION = "self_evaluation", _("정성지표 자체평가표")
        EVIDENCE = "evidence", _("증빙자료")
        OTHER = "other", _("기타")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("서류 종류"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("파일"), upload_to="applications/%Y/")
    original_name = models.CharField(_("파일명"), max_length=255)
    content_type = models.CharField(_("형식"), max_length=100)
    size = models.PositiveBigIntegerField(_("크기"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("첨부 서류")
        verbose_name_plural = _("첨부 서류")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationVersion(models.Model):
    """What was submitted, frozen: claims and attachment hashes at submission."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("버전"))
    submitted_at = models.DateTimeField(_("제출 일시"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(_("제출 내용"))

    class Meta:
        verbose_name = _("제출본")
        verbose_name_plural = _("제출본")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="application_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"


class ApplicationTransition(models.Model):
    """One step of the workflow, as ``domain.workflow.decide`` allowed it.

    Append-only: the application's history is these rows (each also audited).
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("처리"), max_length=30, choices=WorkflowAction.choices)
    from_status = models.CharField(_("이전 상태"), max_length=30, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("다음 상태"), max_length=30, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("일시"))
    reason = models.TextField(_("사유"), blank=True)

    class Meta:
        verbose_name = _("처리 이력")
        verbose_name_plural = _("처리 이력")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Workflow history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Workflow history is append-only.")


class SupplementRequest(models.Model):
    """A request for an explanation or supplement (소명/보완) with its deadline,
    and the version the applicant answered with."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    message = models.TextField(_("요청 내용"))
    indicator_codes = models.JSONField(_("관련 지표"), default=list, blank=True)
    due_at = models.DateTimeField(_("제출 기한"))
    requested_at = models.DateTimeField(_("요청 일시"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version_before = models.ForeignKey(
        ApplicationVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("답변 일시"), null=True, blank=True)
    answer_note = models.TextField(_("답변 내용"), blank=True)
    version_after = models.ForeignKey(
        ApplicationVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("소명·보완 요청")
        verbose_name_plural = _("소명·보완 요청")
        ordering = ["application", "requested_at"]

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.requested_at:%Y-%m-%d}"
