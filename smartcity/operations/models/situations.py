"""Records of the disaster situation and vulnerable-person linkage services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    CIRCLE = "circle", _("원(중심과 반경)")
    POLYGON = "polygon", _("다각형")


class DisasterArea(models.Model):
    """An area of a disaster or weather incident (a circle or a polygon, and
    the warning it stands for), whose cameras were shared with a disaster room
    through ``grant``."""

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="disaster_areas"
    )
    incident = models.ForeignKey(
        "operations.Incident", on_delete=models.PROTECT, related_name="disaster_areas"
    )
    kind = models.CharField(_("영역 유형"), max_length=10, choices=AreaKind.choices)
    warning = models.CharField(_("특보·경보"), max_length=100, blank=True)
    centre_lat = models.FloatField(_("중심 위도"), null=True, blank=True)
    centre_lon = models.FloatField(_("중심 경도"), null=True, blank=True)
    radius_m = models.FloatField(_("반경(m)"), null=True, blank=True)
    polygon = models.JSONField(_("다각형(GeoJSON)"), null=True, blank=True)
    camera_count = models.PositiveIntegerField(_("CCTV 수"), default=0)
    grant = models.ForeignKey(
        "operations.VideoGrant", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disaster_areas",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("등록 일시"))

    class Meta:
        verbose_name = _("재난 영역")
        verbose_name_plural = _("재난 영역")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.warning}"


class CarrierEventKindChoice(models.TextChoices):
    """Mirrors ``domain.carrier.CarrierEventKind``."""

    SOS = "sos", _("긴급 호출(SOS)")
    LEFT_SAFE_ZONE = "left_safe_zone", _("안심 구역 이탈")


class CarrierCase(models.Model):
    """The personal data a carrier sent for a vulnerable-person incident.

    Kept to the minimum (the photo — a reference at the carrier, or the image
    the carrier sent, stored as a private file named in ``photo_file`` and
    shown to the centre and the alerted agencies; the guardian's name and
    phone; the trail) and deleted by ``purge_carrier_data`` once the incident
    is closed and ``OPERATIONS_CARRIER_RETENTION_HOURS`` have passed (the
    photo's file too); ``purged_at`` then records it, and the incident itself
    stays, anonymised.
    """

    incident = models.OneToOneField(
        "operations.Incident", on_delete=models.PROTECT, related_name="carrier_case"
    )
    event_kind = models.CharField(
        _("이벤트 종류"), max_length=20, choices=CarrierEventKindChoice.choices
    )
    photo_ref = models.CharField(_("사진 참조"), max_length=500, blank=True)
    photo_file = models.CharField(_("사진 파일"), max_length=40, blank=True)
    guardian_name = models.CharField(_("보호자 이름"), max_length=100, blank=True)
    guardian_phone = models.CharField(_("보호자 연락처"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("접수 일시"))
    purged_at = models.DateTimeField(_("개인정보 삭제 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("사회적 약자 사건")
        verbose_name_plural = _("사회적 약자 사건")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.event_kind}"


class CarrierPosition(models.Model):
    """One position of the person's trail (personal data: purged with the case)."""

    case = models.ForeignKey(CarrierCase, on_delete=models.CASCADE, related_name="positions")
    latitude = models.DecimalField(_("위도"), max_digits=12, decimal_places=8)
    longitude = models.DecimalField(_("경도"), max_digits=12, decimal_places=8)
    at = models.DateTimeField(_("일시"))

    class Meta:
        verbose_name = _("이동 경로 위치")
        verbose_name_plural = _("이동 경로 위치")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%H:%M:%S}"


class CarrierAlert(models.Model):
    """An alert of a vulnerable-person case sent to a linked 112/119 agency."""

    case = models.ForeignKey(CarrierCase, on_delete=models.CASCADE, related_name="alerts")
    agency = models.ForeignKey(
        "operations.Agency", on_delete=models.PROTECT, related_name="carrier_alerts"
    )
    sent_at = models.DateTimeField(_("통보 일시"))

    class Meta:
        verbose_name = _("사회적 약자 통보")
        verbose_name_plural = _("사회적 약자 통보")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="carrier_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.agency_id}"


class LayerKind(models.TextChoices):
    """Mirrors ``domain.layers.Layer``."""

    WATER = "water", _("소방용수시설")
    DEVICE = "device", _("비상소화장치")
    PARKING = "parking", _("주차장")
    HAZARD = "hazard", _("위험시설물")
    ROAD = "road", _("이면도로 폭")


class LayerItem(models.Model):
    """A point of a 119 layer (a fire water facility, emergency fire device,
    parking lot, hazardous facility or back-street width) of a
    tenant, imported from a public standard dataset (``smartcity layers import``)."""

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="layer_items"
    )
    layer = models.CharField(_("레이어"), max_length=10, choices=LayerKind.choices)
    key = models.CharField(_("관리번호"), max_length=64)
    name = models.CharField(_("이름"), max_length=200, blank=True)
    address = models.CharField(_("주소"), max_length=300, blank=True)
    latitude = models.DecimalField(_("위도"), max_digits=12, decimal_places=8)
    longitude = models.DecimalField(_("경도"), max_digits=12, decimal_places=8)
    detail = models.JSONField(_("속성"), default=dict, blank=True)

    class Meta:
        verbose_name = _("119 레이어 지점")
        verbose_name_plural = _("119 레이어 지점")
        ordering = ["layer", "key"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "layer", "key"], name="layer_item_unique")
        ]
        indexes = [models.Index(fields=["tenant", "layer", "latitude"], name="layer_item_lat_idx")]

    def __str__(self) -> str:
        return self.name or self.key
