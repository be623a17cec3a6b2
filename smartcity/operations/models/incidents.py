"""Incidents (상황), their vocabulary as data, and their timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smartcity.operations.choices import ActorKind, Icon, IntakeSource, TimelineAction


class _Named(models.Model):
    """A row with a Korean name and an English one (data, so not gettext)."""

    name_ko = models.CharField(_("이름"), max_length=100)
    name_en = models.CharField(_("영문 이름"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("표시 순서"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (English when chosen and present)."""
        language = get_language() or ""
        return self.name_en if language.startswith("en") and self.name_en else self.name_ko


class EventGrade(_Named):
    """Event grade: ``10`` urgent (긴급), ``20`` normal (일반) — platform.md §4."""

    code = models.CharField(_("코드"), max_length=4, primary_key=True)
    is_urgent = models.BooleanField(_("긴급"), default=False)

    class Meta:
        verbose_name = _("상황 등급")
        verbose_name_plural = _("상황 등급")
        ordering = ["sort_order", "code"]


class EventStatus(_Named):
    """Progress status (진행 상태) as data: ``10`` occurred → ``40`` information
    changed → ``50`` monitoring released → ``91`` closed / ``92`` auto-closed.

    The pure workflow (``domain.incident_workflow``) reads these flags: a status
    moves only forward by ``sequence``; ``is_repeatable`` lets it be set again
    (information can change many times); each ``settable_by_*`` says which kind
    of actor may set it (auto-close is the system's alone).
    """

    code = models.CharField(_("코드"), max_length=4, primary_key=True)
    sequence = models.PositiveSmallIntegerField(_("진행 순서"))
    is_initial = models.BooleanField(_("최초 상태"), default=False)
    is_final = models.BooleanField(_("종결 상태"), default=False)
    is_repeatable = models.BooleanField(_("반복 가능"), default=False)
    settable_by_sender = models.BooleanField(_("연계 기관이 지정 가능"), default=False)
    settable_by_operator = models.BooleanField(_("운영자가 지정 가능"), default=False)
    settable_by_system = models.BooleanField(_("시스템이 지정 가능"), default=False)

    class Meta:
        verbose_name = _("진행 상태")
        verbose_name_plural = _("진행 상태")
        ordering = ["sequence", "code"]

    def settable_by(self, actor: ActorKind | str) -> bool:
        return bool(getattr(self, f"settable_by_{actor}", False))


class EventType(_Named):
    """An event type of the field protocol (``112UC001`` 112 emergency video …),
    with the sender allowed to report it and its map symbol."""

    code = models.CharField(_("코드"), max_length=12, primary_key=True)
    source = models.CharField(_("보내는 기관"), max_length=10, choices=IntakeSource.choices)
    icon = models.CharField(_("지도 기호"), max_length=20, choices=Icon.choices)
    default_grade = models.ForeignKey(
        EventGrade, verbose_name=_("기본 등급"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("사용 중"), default=True)

    class Meta:
        verbose_name = _("상황 유형")
        verbose_name_plural = _("상황 유형")
        ordering = ["sort_order", "code"]


class Incident(models.Model):
    """A situation shown on the board: what, how urgent, where, since when.

    ``tenant`` is the centre responsible now; ``origin_tenant`` the one that
    received it (a hand-over, or routing at intake to the centre serving the
    place, moves ``tenant``). ``municipality`` is the member local government
    the place lies in, as judged at intake. ``external_id`` is the sender's
    occurrence number; with the sender and the origin it identifies the
    incident, so later messages (information change, release, close) find it
    even after a hand-over.
    """

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="incidents"
    )
    origin_tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("발생 지방자치단체"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("접수할 때 좌표(또는 지역 코드)로 정한, 센터가 맡은 지방자치단체입니다."),
    )  # fmt: skip
    event_type = models.ForeignKey(
        EventType, verbose_name=_("상황 유형"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.ForeignKey(
        EventGrade, verbose_name=_("등급"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.ForeignKey(
        EventStatus, verbose_name=_("진행 상태"), on_delete=models.PROTECT, related_name="+"
    )
    sender = models.CharField(
        _("보낸 기관"), max_length=10, choices=IntakeSource.choices, blank=True
    )
    intake_client = models.ForeignKey(
        "operations.IntakeClient", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    external_id = models.CharField(_("발생 번호"), max_length=64, blank=True)
    latitude = models.DecimalField(_("위도"), max_digits=12, decimal_places=8)
    longitude = models.DecimalField(_("경도"), max_digits=12, decimal_places=8)
    address = models.CharField(_("발생 장소"), max_length=300, blank=True)
    detail = models.TextField(_("상세 내용"), blank=True)
    case_type = models.CharField(
        _("사건 종별"), max_length=100, blank=True,
        help_text=_("112 신고의 사건 종별(예: 강도). 경찰 영상 제공은 7대 강력범죄에만 합니다."),
    )  # fmt: skip
    occurred_at = models.DateTimeField(_("발생 일시"))
    ended_at = models.DateTimeField(_("종료 일시"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("확인 일시"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("확인한 운영자"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("접수 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("최종 변경 일시"), auto_now=True)

    class Meta:
        verbose_name = _("상황")
        verbose_name_plural = _("상황")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_tenant", "sender", "external_id"],
                condition=~models.Q(external_id=""),
                name="incident_external_id_unique",
            ),
            models.CheckConstraint(
                name="incident_position_in_range",
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status"], name="incident_tenant_status_idx"),
            models.Index(fields=["tenant", "-occurred_at"], name="incident_tenant_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type_id} {self.address}"


class AppendOnlyError(RuntimeError):
    """Timeline rows are never changed or deleted."""


class IncidentEvent(models.Model):
    """One line of an incident's timeline: who did what, when, as which centre.

    Every action on an incident writes exactly one row, in the transaction of
    the action (operator actions in platform.md §4's event record). Rows are
    append-only.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    tenant = models.ForeignKey("operations.Tenant", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("일시"))
    action = models.CharField(_("행위"), max_length=20, choices=TimelineAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    actor_label = models.CharField(_("행위자"), max_length=200, blank=True)
    status = models.ForeignKey(
        EventStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("메모"), blank=True)
    data = models.JSONField(_("내용"), default=dict, blank=True)

    class Meta:
        verbose_name = _("상황 처리 기록")
        verbose_name_plural = _("상황 처리 기록")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["incident", "id"], name="incident_event_order_idx")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.action} {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Timeline rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Timeline rows are append-only.")
