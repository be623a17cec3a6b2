"""Notices to a person, shown in the product and sent by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice to one person. Its text is written once in each language
    when it is sent (what the person was told must not change when
    translations do): ``subject``/``body`` in Korean, ``subject_en``/``body_en``
    in English, and the reader sees one of them (``in_language``), never
    both; ``kind`` says what it is about for filters."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("종류"), max_length=60)
    subject = models.CharField(_("제목"), max_length=300)
    body = models.TextField(_("내용"))
    # Empty on notices sent before the English was kept apart: they show ``subject``.
    subject_en = models.CharField(_("제목(영어)"), max_length=300, blank=True)
    body_en = models.TextField(_("내용(영어)"), blank=True)
    url = models.CharField(_("바로가기"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("보낸 일시"))
    read_at = models.DateTimeField(_("읽은 일시"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("전자우편 발송 일시"), null=True, blank=True)
    dedupe_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="Set for notices that must go once only (e.g. an expiry reminder).",
    )

    class Meta:
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.subject

    def in_language(self, language: str | None) -> tuple[str, str]:
        """The subject and body in ``language`` (English or else Korean)."""
        if (language or "").startswith("en") and self.subject_en:
            return self.subject_en, self.body_en
        return self.subject, self.body
