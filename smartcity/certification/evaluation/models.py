"""Committee work on an application: who reviews it, and each member's scores."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.core.models import AppendOnlyError


class Assignment(models.Model):
    """A committee member assigned to review one application.

    ``submitted_at`` is set when the member submits their scores; until then
    they cannot see anyone else's. The operating body may reopen a submitted
    review before consensus (``reopened_at`` and its reason, also audited), so
    the member can correct it and submit again.
    """

    application = models.ForeignKey(
        "certification.Application", on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("평가 재개 일시"), null=True, blank=True)
    reopen_reason = models.TextField(_("평가 재개 사유"), blank=True)

    class Meta:
        verbose_name = _("평가 배정")
        verbose_name_plural = _("평가 배정")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="assignment_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.application_id}"


class MemberScore(models.Model):
    """One member's points for one indicator, with the rationale; or an explicit
    abstention (no points, the reason in ``rationale``), which the committee's
    aggregate leaves out."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    indicator_code = models.CharField(_("지표 코드"), max_length=40)
    points = models.DecimalField(_("점수"), max_digits=10, decimal_places=2, null=True, blank=True)
    abstained = models.BooleanField(_("기권"), default=False)
    rationale = models.TextField(_("평가 의견"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("위원 점수")
        verbose_name_plural = _("위원 점수")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "indicator_code"], name="member_score_once_per_indicator"
            ),
            models.CheckConstraint(
                name="member_score_not_negative", condition=models.Q(points__gte=0)
            ),
            models.CheckConstraint(
                name="member_score_points_or_abstention",
                condition=(
                    models.Q(abstained=False, points__isnull=False)
                    | (models.Q(abstained=True, points__isnull=True) & ~models.Q(rationale=""))
                ),
            ),
        ]

    def __str__(self) -> str:
        shown = "abstained" if self.abstained else self.points
        return f"{self.assignment_id}:{self.indicator_code}={shown}"


class Committee(models.Model):
    """The evaluation committee of one group of a call: a size class for
    cities (대도시 / 중소도시), the service field for services. About nine
    members; common members (``CommitteeMembership.is_common``) sit on every
    group of the call so the groups judge alike."""

    call = models.ForeignKey(
        "certification.Call", on_delete=models.PROTECT, related_name="committees"
    )
    group = models.CharField(_("평가 그룹"), max_length=40)
    name_ko = models.CharField(_("위원회명"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommitteeMembership", related_name="committees"
    )

    class Meta:
        verbose_name = _("평가위원회")
        verbose_name_plural = _("평가위원회")
        ordering = ["call", "group"]
        constraints = [
            models.UniqueConstraint(fields=["call", "group"], name="committee_one_per_group")
        ]

    def __str__(self) -> str:
        return self.name_ko


class CommitteeMembership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    is_common = models.BooleanField(_("공통 위원"), default=False)
    is_chair = models.BooleanField(_("위원장"), default=False)
    load_limit = models.PositiveSmallIntegerField(
        _("최대 배정 건수"), null=True, blank=True, help_text=_("비우면 기본값을 씁니다.")
    )

    class Meta:
        verbose_name = _("위원 구성")
        verbose_name_plural = _("위원 구성")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "member"], name="membership_once_per_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.committee_id}"


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("본인 신고")
    DETECTED = "detected", _("자동 탐지")


class ConflictOfInterest(models.Model):
    """A member who must not review an application, and why. Recorded when
    the member declares it or the product detects it; never deleted."""

    application = models.ForeignKey(
        "certification.Application", on_delete=models.CASCADE, related_name="conflicts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts"
    )
    source = models.CharField(_("확인 경로"), max_length=10, choices=ConflictSource.choices)
    reason = models.CharField(_("사유 코드"), max_length=40)
    note = models.TextField(_("설명"), blank=True)
    recorded_at = models.DateTimeField(_("기록 일시"))

    class Meta:
        verbose_name = _("이해충돌")
        verbose_name_plural = _("이해충돌")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member", "reason"], name="conflict_once_per_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ✕ {self.application_id} ({self.reason})"


class Comment(models.Model):
    """A message in an application's committee discussion. Nobody can delete
    or edit one: the thread is part of the record."""

    application = models.ForeignKey(
        "certification.Application", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    indicator_code = models.CharField(_("지표 코드"), max_length=40, blank=True)
    body = models.TextField(_("내용"))
    created_at = models.DateTimeField(_("작성 일시"))

    class Meta:
        verbose_name = _("평가 토론")
        verbose_name_plural = _("평가 토론")
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Discussion messages cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Discussion messages cannot be deleted.")


class Consensus(models.Model):
    """The score the committee fixed together at its consensus meeting, with
    the engine's full result so it can be reproduced."""

    application = models.OneToOneField(
        "certification.Application", on_delete=models.CASCADE, related_name="consensus"
    )
    fixed_at = models.DateTimeField(_("확정 일시"))
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.TextField(_("회의록 요지"), blank=True)
    total = models.DecimalField(_("총점"), max_digits=10, decimal_places=2)
    grade = models.CharField(_("등급"), max_length=20, blank=True)
    certified = models.BooleanField(_("인증 기준 충족"))
    result = models.JSONField(_("채점 결과"))

    class Meta:
        verbose_name = _("합의 점수")
        verbose_name_plural = _("합의 점수")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.total}"


class ConsensusScore(models.Model):
    """The committee's points for one indicator, agreed at the meeting."""

    consensus = models.ForeignKey(Consensus, on_delete=models.CASCADE, related_name="scores")
    indicator_code = models.CharField(_("지표 코드"), max_length=40)
    points = models.DecimalField(_("점수"), max_digits=10, decimal_places=2)
    rationale = models.TextField(_("근거"), blank=True)

    class Meta:
        verbose_name = _("지표별 합의 점수")
        verbose_name_plural = _("지표별 합의 점수")
        constraints = [
            models.UniqueConstraint(
                fields=["consensus", "indicator_code"], name="consensus_once_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}={self.points}"


class InspectionOutcome(models.TextChoices):
    PENDING = "pending", _("확인 전")
    CONFIRMED = "confirmed", _("확인")
    ADJUSTED = "adjusted", _("조정")
    REJECTED = "rejected", _("불인정")


class InspectionItem(models.Model):
    """One line of the site-inspection checklist, generated from a claim the
    applicant or committee marked "to verify" (현장 확인 대상)."""

    application = models.ForeignKey(
        "certification.Application", on_delete=models.CASCADE, related_name="inspection_items"
    )
    indicator_code = models.CharField(_("지표 코드"), max_length=40)
    claimed = models.CharField(_("제안 내용"), max_length=300)
    evidence_reference = models.CharField(_("증빙 위치"), max_length=300, blank=True)
    outcome = models.CharField(
        _("확인 결과"),
        max_length=10,
        choices=InspectionOutcome.choices,
        default=InspectionOutcome.PENDING,
    )
    adjusted_points = models.DecimalField(
        _("조정 점수"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("확인 내용"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("확인 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("현장실사 항목")
        verbose_name_plural = _("현장실사 항목")
        ordering = ["application", "indicator_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "indicator_code"], name="inspection_once_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.indicator_code} {self.outcome}"


class ResultSummary(models.Model):
    """The committee results of one year, size class, framework and audience,
    aggregated for the national dashboard (issue 17): per area and indicator,
    how many results reached each ``points/max`` pair (see
    ``evaluation.domain.result_summary``).

    Maintained on write, in the writer's transaction, by
    ``certification.services.summary.sync_result_summary`` (called when a
    consensus is fixed or recomputed and on every workflow transition);
    ``smartcity certification rebuild-summary`` rebuilds it from the results.
    ``published`` rows hold announced results (everyone sees them); the
    others hold results reported or approved but not yet announced (the
    Ministry and the operating bodies see those too)."""

    year = models.PositiveIntegerField(_("연도"))
    size_class = models.CharField(_("도시 유형"), max_length=12, blank=True)
    framework_code = models.CharField(_("지표 체계"), max_length=40)
    published = models.BooleanField(_("발표됨"))
    count = models.PositiveIntegerField(_("결과 수"), default=0)
    stats = models.JSONField(_("분포"), default=dict)

    class Meta:
        verbose_name = _("연도별 결과 요약")
        verbose_name_plural = _("연도별 결과 요약")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "size_class", "framework_code", "published"],
                name="result_summary_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.size_class or '-'} {self.framework_code}: {self.count}"


class ResultSummaryEntry(models.Model):
    """What one application's consensus contributes to a :class:`ResultSummary`
    now, so a later write can take exactly that out again."""

    application = models.OneToOneField(
        "certification.Application",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="result_summary_entry",
    )
    summary = models.ForeignKey(ResultSummary, on_delete=models.PROTECT, related_name="entries")
    contribution = models.JSONField(_("기여분"))

    class Meta:
        verbose_name = _("결과 요약 기여분")
        verbose_name_plural = _("결과 요약 기여분")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.summary_id}"
