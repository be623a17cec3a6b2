"""The crime types for which police may receive video, as data.

The 2015 agreement names seven violent crime types (platform.md §3); a
change of that rule is a change of these rows (Django admin, audited), not a
release. Seeded from ``vocabulary/video_crime_types.json`` by a data
migration; ``selectors.crime_rules.video_crime_table`` reads them into the
pure ``domain.crime_types.CrimeTable`` the grant rules use.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.operations.choices import LegalGroundChoice


class VideoCrimeType(models.Model):
    """One crime type police may receive video for, with its legal ground."""

    code = models.SlugField(_("코드"), max_length=40, unique=True)
    name_ko = models.CharField(_("범죄 유형"), max_length=100)
    name_en = models.CharField(_("영문 이름"), max_length=100, blank=True)
    legal_ground = models.CharField(
        _("법적 근거"), max_length=30, choices=LegalGroundChoice.choices,
        default=LegalGroundChoice.CRIME_INVESTIGATION,
    )  # fmt: skip
    legal_basis = models.CharField(
        _("근거 규정"), max_length=300,
        help_text=_("영상 제공을 허용한 규정(예: 2015년 협약, 개인정보 보호법 제18조제2항)."),
    )  # fmt: skip
    is_active = models.BooleanField(
        _("영상 제공 대상"), default=True,
        help_text=_("끄면 이 유형의 상황에는 경찰에 영상을 제공하지 않습니다."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("표시 순서"), default=0)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = _("영상 제공 범죄 유형")
        verbose_name_plural = _("영상 제공 범죄 유형")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_ko


class VideoCrimeVariant(models.Model):
    """A spelling 112 systems send for the type (특수강도, 강도미수), with the
    statute that defines the offence."""

    crime_type = models.ForeignKey(
        VideoCrimeType, verbose_name=_("범죄 유형"), on_delete=models.CASCADE,
        related_name="variants",
    )  # fmt: skip
    name = models.CharField(_("112 사건 종별"), max_length=100)
    law = models.CharField(_("법조문"), max_length=200)

    class Meta:
        verbose_name = _("사건 종별")
        verbose_name_plural = _("사건 종별")
        ordering = ["crime_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["crime_type", "name"], name="crime_variant_unique")
        ]

    def __str__(self) -> str:
        return self.name
