"""The append-only, hash-chained audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


class AuditEvent(models.Model):
    """One thing that happened, by whom, to what; chained to the row before it.

    Rows are only ever inserted (through ``core.services.record_audit``): saving
    an existing row or deleting one raises, and the hash chain exposes changes
    made behind the ORM's back.
    """

    occurred_at = models.DateTimeField(_("일시"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("행위자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("행위자 표시"), max_length=200, blank=True)
    action = models.CharField(_("행위"), max_length=100, db_index=True)
    object_type = models.CharField(_("대상 유형"), max_length=100, blank=True)
    object_id = models.CharField(_("대상 ID"), max_length=100, blank=True)
    data = models.JSONField(_("내용"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit rows are append-only.")


class ChainHead(models.Model):
    """The head of a hash chain (the audit log, the video access log): a single
    row (pk 1) locked while appending, so concurrent writers chain in order; it
    names the newest row, so deleting the newest rows is detected. Appended to
    by ``core.services.append_chained``, read by ``core.selectors.verify_chain``."""

    last_hash = models.CharField(max_length=64)
    last_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.last_hash


class AuditHead(ChainHead):
    """The audit log's chain head."""

    class Meta:
        verbose_name = _("감사 기록 체인 헤드")
