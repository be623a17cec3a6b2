"""Indicator frameworks, versioned. A published version is immutable."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.frameworks.choices import (
    CrosswalkRelation,
    FrameworkKind,
    FrameworkStatus,
    IndicatorType,
)


class PublishedFrameworkError(RuntimeError):
    """A published framework version cannot change."""


class FrameworkVersion(models.Model):
    """One version of an evaluation framework (e.g. city 2023, service transport 2022).

    The engine's framework document (``document``) is the truth; the
    ``FrameworkIndicator`` rows index it for queries and foreign keys.
    Publishing fixes the document and records its content hash.
    """

    code = models.CharField(_("코드"), max_length=60, unique=True)
    kind = models.CharField(_("구분"), max_length=10, choices=FrameworkKind.choices)
    year = models.PositiveIntegerField(_("연도"))
    field = models.CharField(_("분야"), max_length=40, blank=True)
    version = models.CharField(_("버전"), max_length=20)
    name_ko = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    status = models.CharField(
        _("상태"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    reconstructed = models.BooleanField(
        _("재구성본"),
        default=False,
        help_text=_("공식 고시가 공개되지 않아 공개 사례로 재구성한 지표 체계입니다."),
    )
    document = models.JSONField(_("지표 체계 문서"))
    content_hash = models.CharField(_("내용 해시"), max_length=64, blank=True)
    indicator_count = models.PositiveIntegerField(_("지표 수"), default=0)
    total_points = models.DecimalField(_("총점"), max_digits=10, decimal_places=2)
    certification_threshold = models.DecimalField(_("인증 기준점"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)
    published_at = models.DateTimeField(_("공표 일시"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("지표 체계")
        verbose_name_plural = _("지표 체계")
        ordering = ["kind", "-year", "code"]
        constraints = [
            models.CheckConstraint(
                name="framework_published_has_hash",
                condition=~models.Q(status="published") | ~models.Q(content_hash=""),
            )
        ]

    def __str__(self) -> str:
        return self.name_ko or self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = FrameworkVersion.objects.filter(pk=self.pk).values("status", "document")
            current = stored.first()
            if (
                current
                and current["status"] == FrameworkStatus.PUBLISHED
                and current["document"] != self.document
            ):
                raise PublishedFrameworkError(self.code)
        super().save(*args, **kwargs)


class FrameworkIndicator(models.Model):
    """An indicator of one framework version, indexed from its document."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("지표 코드"), max_length=40)
    area_code = models.CharField(_("분야 코드"), max_length=40)
    area_name_ko = models.CharField(_("분야"), max_length=200)
    area_name_en = models.CharField(_("분야(영문)"), max_length=200, blank=True)
    item_code = models.CharField(_("평가항목 코드"), max_length=40)
    item_name_ko = models.CharField(_("평가항목"), max_length=200)
    item_name_en = models.CharField(_("평가항목(영문)"), max_length=200, blank=True)
    name_ko = models.CharField(_("지표명"), max_length=300)
    name_en = models.CharField(_("지표명(영문)"), max_length=300, blank=True)
    indicator_type = models.CharField(_("유형"), max_length=20, choices=IndicatorType.choices)
    rule_type = models.CharField(_("산정 방식"), max_length=30)
    points = models.DecimalField(_("배점"), max_digits=10, decimal_places=2)
    position = models.PositiveIntegerField(_("순서"))

    class Meta:
        verbose_name = _("지표")
        verbose_name_plural = _("지표")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_ko}"


class CrosswalkEntry(models.Model):
    """How an indicator of one framework maps to the next (so trends survive a revision)."""

    source = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    source_code = models.CharField(max_length=40, blank=True)
    target_code = models.CharField(max_length=40, blank=True)
    relation = models.CharField(max_length=10, choices=CrosswalkRelation.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("지표 대응표")
        verbose_name_plural = _("지표 대응표")
        ordering = ["source", "target", "source_code", "target_code"]

    def __str__(self) -> str:
        return f"{self.source_code or '—'} → {self.target_code or '—'} ({self.relation})"
