"""Tenants: the local governments one installation serves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tenant(models.Model):
    """One local government's space in the platform: its cameras, incidents and
    intake keys. Every protected row carries a tenant and every read is scoped
    to the operator's tenant (``operations.access``).

    A regional or cloud centre is one installation with several tenants
    (Chungnam's platform serves 15 cities and counties); each operator belongs
    to one of them through the organisation's municipality, and an incident can
    be handed over from one tenant to another.

    ``camera_register_version`` increases in the transaction of every change to
    the tenant's cameras; the in-memory camera index of each process compares
    it and rebuilds when it moved, so the database stays the truth.
    """

    code = models.SlugField(
        _("테넌트 코드"),
        max_length=20,
        unique=True,
        help_text=_("명령줄과 API에서 쓰는 짧은 이름입니다(기본값: 행정코드)."),
    )
    municipality = models.OneToOneField(
        "municipalities.Municipality",
        verbose_name=_("지방자치단체"),
        on_delete=models.PROTECT,
        related_name="operations_tenant",
    )
    name_ko = models.CharField(_("센터 이름"), max_length=200)
    name_en = models.CharField(_("영문 센터 이름"), max_length=200, blank=True)
    is_active = models.BooleanField(_("사용 중"), default=True)
    camera_register_version = models.PositiveBigIntegerField(_("CCTV 등록부 버전"), default=0)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("테넌트(지자체 센터)")
        verbose_name_plural = _("테넌트(지자체 센터)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_ko

    @property
    def channel(self) -> str:
        """The realtime channel of this tenant's situation board."""
        return f"operations.tenant.{self.pk}"
