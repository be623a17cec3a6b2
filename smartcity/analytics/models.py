"""The one thing analytics stores: the good-practice texts of the annual report.

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
