"""What analytics stores: the good-practice texts of the annual report and
the figures the Ministry published about each year's call (how many applied).

Everything else in this app is read from the registry and the committee's
results and computed on the way out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoodPractice(models.Model):
    """One good practice (우수 사례) of a certified city or service in a year's
    results report, in the structure of the press releases' 참고 tables:
    a heading (주요 부문) and its points (주요 내용, one per line).

    Edited by the Ministry and the operating bodies through
    ``analytics.services`` only (audited)."""

    year = models.PositiveIntegerField(_("연도"))
    subject = models.ForeignKey(
        "registry.Subject",
        verbose_name=_("인증 대상"),
        on_delete=models.PROTECT,
        related_name="good_practices",
    )
    heading = models.CharField(_("주요 부문"), max_length=200)
    body = models.TextField(_("주요 내용"), help_text=_("한 줄에 한 항목씩 적습니다."))
    position = models.PositiveSmallIntegerField(_("순서"), default=0)
    updated_at = models.DateTimeField(_("수정 일시"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("우수 사례")
        verbose_name_plural = _("우수 사례")
        ordering = ["year", "subject__name", "position", "id"]
        indexes = [models.Index(fields=["year", "subject"], name="goodpractice_year_subject_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.subject_id}: {self.heading}"

    def points(self) -> list[str]:
        """The body's lines without their bullet marks."""
        return [
            line.strip().lstrip("-•·○").strip()
            for line in self.body.splitlines()
            if line.strip().lstrip("-•·○").strip()
        ]


class CallFigures(models.Model):
    """What the Ministry published about one year's call of one track: how
    many applied (e.g. "총 30개 도시가 참여", 2021) and how many certified
    holders applied for an extension, with the release that says so.

    Not derived from the applications: the early calls ran outside this
    product, and a release's figure is the public record. Recorded by the
    Ministry through ``analytics.services.record_call_figures`` (audited)."""

    class Kind(models.TextChoices):
        CITY = "city", _("스마트도시")
        SERVICE = "service", _("스마트도시 서비스")

    year = models.PositiveIntegerField(_("연도"))
    kind = models.CharField(_("인증 구분"), max_length=10, choices=Kind.choices)
    applicants = models.PositiveIntegerField(_("신규 인증 신청 수"), null=True, blank=True)
    extension_applicants = models.PositiveIntegerField(
        _("연장(재검토) 신청 수"), null=True, blank=True
    )
    source = models.CharField(_("출처"), max_length=300)
    updated_at = models.DateTimeField(_("수정 일시"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("공모 통계")
        verbose_name_plural = _("공모 통계")
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="callfigures_year_kind_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind}: {self.applicants}"
