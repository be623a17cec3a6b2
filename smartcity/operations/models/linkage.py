"""The linkage services' records: agencies, certified officers, video grants,
stream-token uses and the hash-chained video access log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.core.models import ChainHead
from smartcity.operations.choices import AccessStep, AgencyKindChoice, LegalGroundChoice


class Agency(models.Model):
    """A police 112 room, a fire 119 room or a disaster room, linked to the
    tenants (local governments) whose centres share video with it.

    Its officers are the users of ``organisation`` with the agency-officer
    role; the organisation decides the agency, never anything the browser sends.
    """

    code = models.SlugField(_("기관 코드"), max_length=30, unique=True)
    name_ko = models.CharField(_("기관명"), max_length=200)
    name_en = models.CharField(_("영문 기관명"), max_length=200, blank=True)
    kind = models.CharField(_("기관 유형"), max_length=20, choices=AgencyKindChoice.choices)
    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("소속 기관"), on_delete=models.PROTECT,
        related_name="linkage_agency",
    )  # fmt: skip
    tenants = models.ManyToManyField(
        "operations.Tenant", verbose_name=_("연계 센터"), related_name="agencies", blank=True,
        through="AgencyLink",
    )  # fmt: skip
    is_active = models.BooleanField(_("사용 중"), default=True)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("연계 기관")
        verbose_name_plural = _("연계 기관")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_ko

    @property
    def channel(self) -> str:
        """The realtime channel of this agency's console."""
        return f"operations.agency.{self.pk}"


class AgencyLink(models.Model):
    """An agency linked to one centre. A centre's administrator stops the
    link for that centre alone (``stopped_at``): the agency gets no new video
    from it, and every other centre's link and the agency's officers are
    untouched. ``Agency.is_active`` stops the agency everywhere (the
    installation's operators, the command line)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="links")
    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.CASCADE, related_name="agency_links"
    )
    stopped_at = models.DateTimeField(_("이 센터에서 중지한 일시"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "operations_agency_tenants"  # the table the plain many-to-many made
        unique_together = [("agency", "tenant")]
        verbose_name = _("센터와 연계 기관의 연결")
        verbose_name_plural = _("센터와 연계 기관의 연결")

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.tenant_id}"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None and self.agency.is_active


class OfficerCertification(models.Model):
    """An officer certified to receive video (platform.md §3: only certified
    staff of the 112 room), valid from ``certified_at`` until ``expires_at``
    unless revoked. Rows are kept after expiry as the record of who was
    certified when."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="certifications")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="video_certifications"
    )
    certified_at = models.DateTimeField(_("인증 일시"))
    expires_at = models.DateTimeField(_("만료 일시"))
    revoked_at = models.DateTimeField(_("취소 일시"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    note = models.CharField(_("비고"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("영상 열람 인증")
        verbose_name_plural = _("영상 열람 인증")
        ordering = ["-certified_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="certification_period_valid",
                condition=models.Q(expires_at__gt=models.F("certified_at")),
            )
        ]
        indexes = [models.Index(fields=["officer", "expires_at"], name="certification_officer_idx")]

    def __str__(self) -> str:
        return f"{self.officer} ({self.expires_at:%Y-%m-%d})"


class VideoGrant(models.Model):
    """Video of some cameras granted to an agency for one incident.

    The session ends at ``expires_at`` (20 minutes by default, extendable);
    every access compares it with the server's clock, and the sweep
    (``smartcity linkage expire``) stamps ``ended_at`` for the record. A
    break-glass grant was taken by an officer without the centre's decision,
    with a justification; it is flagged in the monthly review.
    """

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="video_grants"
    )
    incident = models.ForeignKey(
        "operations.Incident", on_delete=models.PROTECT, related_name="video_grants"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="grants")
    cameras = models.ManyToManyField("operations.Camera", related_name="+")
    legal_ground = models.CharField(
        _("법적 근거"), max_length=30, choices=LegalGroundChoice.choices
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    granted_by_label = models.CharField(_("제공 결정자"), max_length=200, blank=True)
    break_glass = models.BooleanField(_("긴급 열람"), default=False)
    justification = models.TextField(_("사유"), blank=True)
    created_at = models.DateTimeField(_("제공 일시"))
    expires_at = models.DateTimeField(_("열람 종료 일시"))
    extensions = models.PositiveSmallIntegerField(_("연장 횟수"), default=0)
    revoked_at = models.DateTimeField(_("중단 일시"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    ended_at = models.DateTimeField(_("종료 기록 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("영상 제공")
        verbose_name_plural = _("영상 제공")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="grant_agency_time_idx"),
            models.Index(fields=["ended_at", "expires_at"], name="grant_open_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.agency} ← {self.incident_id}"


class StreamTokenUse(models.Model):
    """A stream token already opened: its nonce, so a replay is refused."""

    nonce = models.CharField(max_length=40, unique=True)
    grant = models.ForeignKey(VideoGrant, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("사용된 영상 토큰")
        verbose_name_plural = _("사용된 영상 토큰")

    def __str__(self) -> str:
        return self.nonce


class AppendOnlyError(RuntimeError):
    """Access-log entries are never changed (only pruned after retention)."""


class VideoAccessEntry(models.Model):
    """One attempt to see video, granted or refused: who, for which agency,
    which camera and incident, on what legal ground, from when to when.

    Chained like the audit log: ``hash`` covers the entry's columns and the
    previous entry's hash, keyed (``core.domain.hash_chain``); the rows it points to are
    protected from deletion, so the chain can always be recomputed. Written only by
    ``services.video_log.append_access_entry``.
    """

    at = models.DateTimeField(_("일시"), db_index=True)
    tenant = models.ForeignKey(
        "operations.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    officer_label = models.CharField(_("열람자"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_label = models.CharField(_("기관"), max_length=200, blank=True)
    camera = models.ForeignKey(
        "operations.Camera", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(
        "operations.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grant = models.ForeignKey(
        VideoGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("단계"), max_length=20, choices=AccessStep.choices)
    granted = models.BooleanField(_("허용"))
    reason = models.CharField(_("거부 사유"), max_length=40, blank=True)
    legal_ground = models.CharField(
        _("법적 근거"), max_length=30, choices=LegalGroundChoice.choices, blank=True
    )
    viewed_from = models.DateTimeField(_("열람 시작"), null=True, blank=True)
    viewed_until = models.DateTimeField(_("열람 종료"), null=True, blank=True)
    break_glass = models.BooleanField(_("긴급 열람"), default=False)
    justification = models.TextField(_("사유"), blank=True)
    # A closing entry seals the session's count (``ViewingSession``, ADR 0017).
    frames = models.PositiveIntegerField(_("제공한 화면 수"), null=True, blank=True)
    last_frame_at = models.DateTimeField(_("마지막 화면"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("영상 열람 기록")
        verbose_name_plural = _("영상 열람 기록")
        ordering = ["id"]
        indexes = [models.Index(fields=["tenant", "at"], name="video_access_tenant_time_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.officer_label} {self.step} {self.granted}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Access-log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access-log entries are pruned only after their retention period.")


class VideoAccessHead(ChainHead):
    """The access log's chain head (``core.models.ChainHead``) and its anchor:
    the hash the first kept entry points to once older entries were pruned."""

    anchor_hash = models.CharField(max_length=64)
    pruned_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("영상 열람 기록 체인 헤드")
