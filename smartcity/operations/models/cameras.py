"""The CCTV register: cameras of each tenant, and the imports that filled it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.operations.choices import CameraPurposeChoice


class CameraImport(models.Model):
    """One run of the CCTV standard-data importer, with its counts.

    ``rejections`` keeps the first rejected rows (row, line, reason, field,
    detail) for review; ``reasons`` counts all of them.

    An upload on the set-up page runs in the background: the row is created
    ``queued``, turns ``running`` with ``progress_rows`` of about
    ``progress_total`` file lines read, then ``progress_written`` of
    ``progress_to_write`` cameras written, and ends ``done`` or ``failed``
    (``failure`` says why). Imports from the command line are ``done`` at once.
    ``owner`` (``host:pid:start``) and ``heartbeat_at`` tell a running import
    from one whose process died (``domain.import_jobs``); ``retry_of`` links
    a retry to the import it replaces.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("대기")
        RUNNING = "running", _("진행 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="camera_imports"
    )
    file_name = models.CharField(_("파일명"), max_length=255)
    sha256 = models.CharField(max_length=64)
    encoding = models.CharField(_("인코딩"), max_length=20)
    imported_at = models.DateTimeField(_("가져온 일시"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows = models.PositiveIntegerField(_("읽은 행"), default=0)
    accepted = models.PositiveIntegerField(_("수용"), default=0)
    rejected = models.PositiveIntegerField(_("거부"), default=0)
    created = models.PositiveIntegerField(_("신규"), default=0)
    updated = models.PositiveIntegerField(_("변경"), default=0)
    unchanged = models.PositiveIntegerField(_("변경 없음"), default=0)
    reasons = models.JSONField(_("거부 사유별 건수"), default=dict)
    rejections = models.JSONField(_("거부된 행(일부)"), default=list)
    register_version = models.PositiveBigIntegerField(_("가져온 뒤 등록부 버전"), default=0)
    state = models.CharField(_("처리 상태"), max_length=10, choices=State.choices, default="done")
    progress_rows = models.PositiveIntegerField(_("읽은 줄"), default=0)
    progress_total = models.PositiveIntegerField(_("전체 줄(추정)"), default=0)
    failure = models.CharField(_("실패 사유"), max_length=500, blank=True)
    progress_written = models.PositiveIntegerField(_("등록부에 쓴 CCTV"), default=0)
    progress_to_write = models.PositiveIntegerField(_("등록부에 쓸 CCTV"), default=0)
    owner = models.CharField(_("처리 프로세스"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("마지막 진행 보고"), null=True, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="retries",
        verbose_name=_("다시 시도한 가져오기"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("CCTV 가져오기 기록")
        verbose_name_plural = _("CCTV 가져오기 기록")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Camera(models.Model):
    """One CCTV site of the national standard data (``camera_count`` cameras there).

    ``key`` is the parser's natural key (``mn:<관리번호>`` or a hash of address,
    position and purpose), unique per tenant, so re-importing upserts.
    ``stream_endpoint`` is the city's video-management address of the live
    stream: a secret between the platform and the VMS. It is never rendered,
    serialised, put in an event or in the audit log; the linkage services of
    phase 2 hand it only to the video gateway.
    """

    tenant = models.ForeignKey(
        "operations.Tenant", on_delete=models.PROTECT, related_name="cameras"
    )
    key = models.CharField(_("식별 키"), max_length=80)
    management_number = models.CharField(_("관리번호"), max_length=100, blank=True)
    local_gov_code = models.CharField(_("개방자치단체코드"), max_length=20, blank=True)
    agency = models.CharField(_("관리기관명"), max_length=200, blank=True)
    agency_phone = models.CharField(_("관리기관 전화번호"), max_length=50, blank=True)
    road_address = models.CharField(_("도로명주소"), max_length=300, blank=True)
    lot_address = models.CharField(_("지번주소"), max_length=300, blank=True)
    purpose = models.CharField(_("설치 목적"), max_length=20, choices=CameraPurposeChoice.choices)
    purpose_raw = models.CharField(_("설치목적구분(원문)"), max_length=200, blank=True)
    camera_count = models.PositiveSmallIntegerField(_("카메라 대수"), null=True, blank=True)
    pixels = models.PositiveIntegerField(_("화소수"), null=True, blank=True)
    retention_days = models.PositiveSmallIntegerField(_("보관일수"), null=True, blank=True)
    installed = models.CharField(_("설치연월"), max_length=7, blank=True)
    latitude = models.DecimalField(_("위도"), max_digits=12, decimal_places=8)
    longitude = models.DecimalField(_("경도"), max_digits=12, decimal_places=8)
    direction_raw = models.CharField(_("촬영방면정보(원문)"), max_length=300, blank=True)
    bearing_deg = models.FloatField(_("촬영 방위각"), null=True, blank=True)
    fov_deg = models.FloatField(_("화각"), null=True, blank=True)
    reference_date = models.DateField(_("데이터 기준일"), null=True, blank=True)
    coordinates_swapped = models.BooleanField(_("위경도 바뀜 보정"), default=False)
    stream_endpoint = models.CharField(_("영상 스트림 주소"), max_length=500, blank=True)
    content_hash = models.CharField(max_length=64)
    last_import = models.ForeignKey(
        CameraImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("변경 일시"), auto_now=True)

    class Meta:
        verbose_name = _("CCTV")
        verbose_name_plural = _("CCTV")
        ordering = ["tenant", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="camera_key_unique_per_tenant"),
            models.CheckConstraint(
                name="camera_bearing_in_range",
                condition=models.Q(bearing_deg__isnull=True)
                | models.Q(bearing_deg__gte=0, bearing_deg__lt=360),
            ),
            models.CheckConstraint(
                name="camera_fov_in_range",
                condition=models.Q(fov_deg__isnull=True)
                | models.Q(fov_deg__gt=0, fov_deg__lte=360),
            ),
        ]
        indexes = [models.Index(fields=["tenant", "purpose"], name="camera_tenant_purpose_idx")]

    def __str__(self) -> str:
        return self.road_address or self.lot_address or self.key
