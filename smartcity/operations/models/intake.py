"""Systems that send events (112, 119, carriers, disaster rooms) and idempotency."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.operations.choices import IntakeSource


class IntakeClient(models.Model):
    """A sending system with an API key, reporting into one tenant.

    Only a prefix (to find the row) and the SHA-256 of the secret are stored;
    the key is shown once, when issued. A slow password hash is not needed:
    keys are 256-bit random, so there is nothing to guess offline, and intake
    must stay fast. ``source`` limits which event types it may report.

    A centre administrator issues, rotates and revokes keys on the set-up
    page (or ``smartcity operations issue-key``). Rotating replaces the prefix
    and the hash: the old key stops working at once. ``last_used_at`` is
    stamped by intake at most once a minute (``services.tenancy
    .note_intake_key_used``), so a quiet key is easy to spot.
    """

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="intake_clients"
    )
    name = models.CharField(_("이름"), max_length=200)
    source = models.CharField(_("보내는 기관"), max_length=10, choices=IntakeSource.choices)
    key_prefix = models.CharField(_("키 접두어"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(_("사용 중"), default=True)
    created_at = models.DateTimeField(_("발급 일시"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("재발급 일시"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("폐기 일시"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("마지막 사용 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("연계 기관 API 키")
        verbose_name_plural = _("연계 기관 API 키")
        ordering = ["tenant", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix})"


class IdempotencyRecord(models.Model):
    """A request already answered: the same key with the same body gets the
    same incident back; with a different body, 409."""

    client = models.ForeignKey(IntakeClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    incident = models.ForeignKey("operations.Incident", on_delete=models.PROTECT, related_name="+")
    created = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("중복 요청 방지 기록")
        verbose_name_plural = _("중복 요청 방지 기록")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"
