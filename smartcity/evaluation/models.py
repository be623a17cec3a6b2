"""Committee work on an application: who reviews it, and each member's scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """A committee member assigned to review one application.

    ``submitted_at`` is set when the member submits their scores; until then
    they cannot see anyone else's.
    """

    application = models.ForeignKey(
        "certification.Application", on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)

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
    """One member's points for one indicator, with the rationale."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    indicator_code = models.CharField(_("지표 코드"), max_length=40)
    points = models.DecimalField(_("점수"), max_digits=10, decimal_places=2)
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
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.indicator_code}={self.points}"
