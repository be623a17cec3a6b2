"""The event outbox: one row per change a live view should hear about."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it announces.

    Readers (the SSE hub) only ever see committed rows, so an event is
    delivered after its transaction commits and never for a rolled-back one.
    ``channel`` scopes delivery (e.g. one local government's situation board);
    ``payload`` must be safe to show to every subscriber of the channel.
    Rows are pruned after a while (``smartcity realtime prune``): the outbox
    is a delivery buffer, not a history — histories live with their objects.
    With NATS configured, ``relayed_at`` records that JetStream acknowledged
    the row (``realtime.relay``); a row without it is re-sent after a crash.
    """

    channel = models.CharField(_("채널"), max_length=100)
    kind = models.CharField(_("종류"), max_length=50)
    payload = models.JSONField(_("내용"), default=dict)
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True, db_index=True)
    relayed_at = models.DateTimeField(
        _("중계 일시"),
        null=True,
        blank=True,
        help_text=_("NATS JetStream이 이 이벤트의 수신을 확인한 때 (브로커가 없으면 비어 있음)."),
    )

    class Meta:
        verbose_name = _("알림 대기열 항목")
        verbose_name_plural = _("알림 대기열 항목")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["channel", "id"], name="outbox_channel_id_idx"),
            # The relay's queue: only rows JetStream has not acknowledged yet.
            models.Index(
                fields=["id"],
                name="outbox_unrelayed_idx",
                condition=models.Q(relayed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.kind}"
