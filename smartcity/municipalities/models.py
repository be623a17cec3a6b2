"""Local governments, their resident population, and size-class rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.municipalities.choices import MunicipalityType


class Municipality(models.Model):
    """One of Korea's 243 local governments (17 metropolitan-level + 226 basic),
    on its current 5-digit standard code (행정표준코드)."""

    code = models.CharField(_("행정코드"), max_length=5, unique=True)
    name_ko = models.CharField(_("이름"), max_length=50)
    full_name_ko = models.CharField(_("전체 이름"), max_length=100)
    name_en = models.CharField(_("영문 이름"), max_length=100, blank=True)
    type = models.CharField(_("유형"), max_length=40, choices=MunicipalityType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("상위 자치단체"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("지방자치단체")
        verbose_name_plural = _("지방자치단체")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="municipality_code_is_five_digits", condition=models.Q(code__regex=r"^\d{5}$")
            )
        ]

    def __str__(self) -> str:
        return self.full_name_ko


class PopulationCount(models.Model):
    """Resident population of one local government at one reference date."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_counts"
    )

    class Basis(models.TextChoices):
        """What was counted: size classes follow the resident registration
        population (주민등록인구, certification.md §2); the census is the fallback."""

        RESIDENT_REGISTRATION = "resident_registration", _("주민등록인구")
        CENSUS = "census", _("인구주택총조사")

    reference_date = models.DateField(_("기준일"))
    population = models.PositiveIntegerField(_("인구"))
    source = models.CharField(_("출처"), max_length=200)
    basis = models.CharField(
        _("인구 구분"), max_length=24, choices=Basis.choices, default=Basis.RESIDENT_REGISTRATION
    )

    class Meta:
        verbose_name = _("인구")
        verbose_name_plural = _("인구")
        ordering = ["municipality", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"], name="population_one_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.reference_date}: {self.population}"


class SizeClassRule(models.Model):
    """A size-class rule attached to the call years from ``first_call_year`` on.

    Stored as data so the operating body can add next year's rule without code.
    """

    code = models.CharField(_("규칙 코드"), max_length=20, unique=True)
    first_call_year = models.PositiveIntegerField(_("적용 시작 공모연도"), unique=True)
    threshold = models.PositiveIntegerField(_("대도시 인구 기준"), default=500_000)
    always_large_types = models.JSONField(_("항상 대도시인 유형"), default=list)
    always_small_types = models.JSONField(_("항상 중소도시인 유형"), default=list)
    description_ko = models.TextField(_("설명"), blank=True)
    description_en = models.TextField(_("영문 설명"), blank=True)

    class Meta:
        verbose_name = _("도시 유형 구분 규칙")
        verbose_name_plural = _("도시 유형 구분 규칙")
        ordering = ["first_call_year"]

    def __str__(self) -> str:
        return self.code
