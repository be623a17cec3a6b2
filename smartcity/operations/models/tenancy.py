"""Centres (tenants) and the local governments each one serves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tenant(models.Model):
    """An operations centre (센터): its cameras, incidents and intake keys.
    Every protected row carries a centre and every read is scoped to the
    operator's centre (``operations.access``).

    A centre serves one or more local governments (:class:`CentreMembership`):
    a city alone, a metropolitan cloud centre with its districts, or 3–4 small
    cities sharing one platform. ``municipality`` is the centre's seat — the
    local government whose operations-centre organisation runs it; its
    operators see the incidents, cameras and situations of every member.
    Several centres can run on one installation and hand incidents over.

    The table keeps its historical name (``Tenant``); screens and documents
    say 센터 / centre.

    ``camera_register_version`` increases in the transaction of every change to
    the centre's cameras; the in-memory camera index of each process compares
    it and rebuilds when it moved, so the database stays the truth.
    """

    code = models.SlugField(
        _("센터 코드"),
        max_length=20,
        unique=True,
        help_text=_("명령줄과 API에서 쓰는 짧은 이름입니다(기본값: 행정코드)."),
    )
    municipality = models.OneToOneField(
        "municipalities.Municipality",
        verbose_name=_("운영 지방자치단체"),
        on_delete=models.PROTECT,
        related_name="operations_tenant",
        help_text=_(
            "센터를 운영하는 지방자치단체입니다. "
            "이 지자체의 통합운영센터 직원이 센터의 운영자입니다."
        ),
    )
    name_ko = models.CharField(_("센터 이름"), max_length=200)
    name_en = models.CharField(_("영문 센터 이름"), max_length=200, blank=True)
    is_active = models.BooleanField(_("사용 중"), default=True)
    camera_register_version = models.PositiveBigIntegerField(_("CCTV 등록부 버전"), default=0)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("센터")
        verbose_name_plural = _("센터")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_ko

    @property
    def channel(self) -> str:
        """The realtime channel of this centre's situation board."""
        return f"operations.tenant.{self.pk}"


class CentreMembership(models.Model):
    """A local government served by a centre from ``joined_at`` until
    ``left_at`` (open while it still serves it).

    Moving a local government closes its membership and opens one in the other
    centre, so "who served it when" stays answerable; its past incidents stay
    with the centre that received them. A local government is served by at
    most one centre at a time (the partial unique constraint).
    """

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("센터"), on_delete=models.PROTECT, related_name="memberships"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("지방자치단체"),
        on_delete=models.PROTECT,
        related_name="centre_memberships",
    )
    joined_at = models.DateTimeField(_("편입 일시"))
    left_at = models.DateTimeField(_("이전 일시"), null=True, blank=True)
    note = models.CharField(_("비고"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("센터 소속 지방자치단체")
        verbose_name_plural = _("센터 소속 지방자치단체")
        ordering = ["tenant", "municipality__code", "-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(left_at__isnull=True),
                name="centre_membership_one_current_per_municipality",
            ),
            models.CheckConstraint(
                name="centre_membership_period_valid",
                condition=models.Q(left_at__isnull=True)
                | models.Q(left_at__gte=models.F("joined_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} · {self.municipality}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None
