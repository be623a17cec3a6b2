"""The national programme that rolls the integrated platform out to local
governments: its yearly calls (공모), the applicants and selections of each,
and the register of deployments (which local government runs a platform,
through which centre, since when, with what subsidy).

Written only by ``operations.services.programme``; read by the national page
(``analytics``). Money is whole won (no fractions of a won exist).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformProgramme(models.Model):
    """One year's call of the 통합플랫폼 보급 programme, as announced.

    The reported counts are what the announcement says (e.g. 33 applicants,
    12 selections in 2018); the applicant rows below name only the local
    governments the source names, so the page can say how many are unnamed
    instead of inventing them.
    """

    year = models.PositiveSmallIntegerField(_("사업 연도"), unique=True)
    title_ko = models.CharField(_("사업명"), max_length=200)
    title_en = models.CharField(_("영문 사업명"), max_length=200, blank=True)
    announced_on = models.DateField(_("선정 발표일"), null=True, blank=True)
    applicants_reported = models.PositiveIntegerField(_("발표된 응모 지자체 수"), null=True)
    selections_reported = models.PositiveIntegerField(_("발표된 선정 지자체 수"), null=True)
    budget_per_site_won = models.PositiveBigIntegerField(_("지자체당 사업비(원)"), null=True)
    national_per_site_won = models.PositiveBigIntegerField(_("지자체당 국비(원)"), null=True)
    target_count = models.PositiveIntegerField(_("보급 목표 지자체 수"), null=True)
    target_year = models.PositiveSmallIntegerField(_("목표 연도"), null=True)
    source = models.CharField(_("출처"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("통합플랫폼 보급 사업")
        verbose_name_plural = _("통합플랫폼 보급 사업")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="programme_national_within_budget",
                condition=models.Q(national_per_site_won__isnull=True)
                | models.Q(budget_per_site_won__isnull=True)
                | models.Q(national_per_site_won__lte=models.F("budget_per_site_won")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title_ko}"


class ProgrammeApplicant(models.Model):
    """A local government that applied to a call; ``selected`` when chosen,
    with the subsidy recorded for it (national and local share, whole won)."""

    programme = models.ForeignKey(
        PlatformProgramme, on_delete=models.PROTECT, related_name="applicants"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("지방자치단체"),
        on_delete=models.PROTECT, related_name="platform_applications",
    )  # fmt: skip
    selected = models.BooleanField(_("선정"), default=False)
    national_subsidy_won = models.PositiveBigIntegerField(_("국비(원)"), null=True, blank=True)
    local_subsidy_won = models.PositiveBigIntegerField(_("지방비(원)"), null=True, blank=True)
    source = models.CharField(_("출처"), max_length=500, blank=True)
    note = models.CharField(_("비고"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("통합플랫폼 사업 응모 지자체")
        verbose_name_plural = _("통합플랫폼 사업 응모 지자체")
        ordering = ["programme", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"], name="programme_applicant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.year} {self.municipality}"


class PlatformDeployment(models.Model):
    """A local government runs the integrated platform through a centre
    since ``since``; ``programme`` is the call that funded it (blank when it
    was built otherwise or the call is not known)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("지방자치단체"),
        on_delete=models.PROTECT, related_name="platform_deployments",
    )  # fmt: skip
    tenant = models.ForeignKey(
        "operations.Tenant", verbose_name=_("센터"), on_delete=models.PROTECT,
        related_name="deployments",
    )  # fmt: skip
    since = models.DateField(_("운영 시작일"))
    programme = models.ForeignKey(
        PlatformProgramme, verbose_name=_("지원 사업"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deployments",
    )  # fmt: skip
    national_subsidy_won = models.PositiveBigIntegerField(_("국비(원)"), default=0)
    local_subsidy_won = models.PositiveBigIntegerField(_("지방비(원)"), default=0)
    note = models.CharField(_("비고"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("기록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("통합플랫폼 구축 현황")
        verbose_name_plural = _("통합플랫폼 구축 현황")
        ordering = ["municipality__code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="deployment_one_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.tenant}"
