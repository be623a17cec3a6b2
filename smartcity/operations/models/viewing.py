"""Viewing sessions: one officer watching one camera of one grant.

The access log (``VideoAccessEntry``, hash-chained) records the session's
opening and its closing; the frames served in between are counted here, in a
row that is updated, and the count is sealed into the chain by the closing
entry (docs/adr/0017).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ViewingSession(models.Model):
    """Opened at the first frame, counted at every frame, closed when the
    grant ends (with the real end time and why) or the viewer stops asking."""

    tenant = models.ForeignKey("operations.Tenant", on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(
        "operations.VideoGrant", on_delete=models.PROTECT, related_name="viewing_sessions"
    )
    camera = models.ForeignKey("operations.Camera", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    officer_label = models.CharField(_("열람자"), max_length=200, blank=True)
    agency = models.ForeignKey("operations.Agency", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("열람 시작"))
    frames = models.PositiveIntegerField(_("제공한 화면 수"), default=0)
    last_frame_at = models.DateTimeField(_("마지막 화면"))
    closed_at = models.DateTimeField(_("열람 종료"), null=True, blank=True)
    close_reason = models.CharField(_("종료 사유"), max_length=40, blank=True)
    opened_entry = models.OneToOneField(
        "operations.VideoAccessEntry", on_delete=models.PROTECT, related_name="+"
    )
    closed_entry = models.OneToOneField(
        "operations.VideoAccessEntry", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("영상 열람 세션")
        verbose_name_plural = _("영상 열람 세션")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "camera", "officer"],
                condition=models.Q(closed_at__isnull=True),
                name="viewing_session_one_open",
            ),
            models.CheckConstraint(
                name="viewing_session_closed_after_open",
                condition=models.Q(closed_at__isnull=True)
                | models.Q(closed_at__gte=models.F("opened_at")),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "opened_at"], name="viewing_tenant_time_idx"),
            models.Index(fields=["closed_at", "last_frame_at"], name="viewing_open_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.officer_label} CCTV {self.camera_id} ({self.frames})"
