"""The public certification registry: subjects, decisions, certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.municipalities.choices import SizeClass
from smartcity.registry.choices import (
    CertificationKind,
    DecisionType,
    EndReason,
    RevocationGround,
)


class Subject(models.Model):
    """What is certified: a local government (city track) or a service."""

    kind = models.CharField(_("인증 구분"), max_length=10, choices=CertificationKind.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("지방자치단체"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certification_subjects",
    )
    name = models.CharField(_("이름"), max_length=200)
    field = models.CharField(_("분야"), max_length=40, blank=True)
    holder = models.CharField(_("인증 보유자"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("인증 대상")
        verbose_name_plural = _("인증 대상")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind="city"),
                name="subject_one_city_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(kind="service"),
                name="subject_service_name_unique",
            ),
            models.CheckConstraint(
                name="subject_city_has_municipality",
                condition=~models.Q(kind="city") | models.Q(municipality__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One imported decisions file, kept so every decision can name its origin."""

    file_name = models.CharField(_("파일명"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("가져온 일시"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("가져오기 기록")
        verbose_name_plural = _("가져오기 기록")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class Decision(models.Model):
    """A decision of the Ministry: a new certification, an extension, a revocation."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("결정"), max_length=12, choices=DecisionType.choices)
    decided_on = models.DateField(_("결정일"))
    subject_code = models.CharField(
        _("원자료의 행정코드"),
        max_length=10,
        blank=True,
        help_text=_("가져온 파일에 적힌 코드(등록부 코드와 다를 수 있음, 예: 세종 36110)."),
    )
    size_class = models.CharField(
        _("도시 유형"), max_length=12, choices=SizeClass.choices, blank=True
    )
    field = models.CharField(_("분야"), max_length=40, blank=True)
    holder = models.CharField(_("인증 보유자"), max_length=200, blank=True)
    grade = models.CharField(
        _("등급"),
        max_length=1,
        blank=True,
        help_text=_("결정이 밝힌 인증 등급(1~5). 모르면 비워 둡니다."),
    )
    note = models.TextField(_("비고"), blank=True)
    source = models.CharField(_("출처"), max_length=300, blank=True)
    ground = models.TextField(_("취소 사유"), blank=True)
    ground_kind = models.CharField(
        _("취소 근거"), max_length=12, choices=RevocationGround.choices, blank=True
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )

    class Meta:
        verbose_name = _("인증 결정")
        verbose_name_plural = _("인증 결정")
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "decision", "decided_on"], name="decision_unique_per_day"
            )
        ]
        indexes = [models.Index(fields=["decided_on"], name="decision_date_idx")]

    def __str__(self) -> str:
        return f"{self.subject} {self.decision} {self.decided_on}"


class Certificate(models.Model):
    """A period of validity granted by one decision, with its public number.

    Derived from the decisions by the pure lifecycle engine
    (``registry.domain.lifecycle``) and rewritten whenever a subject's
    decisions change; the number, once given, never changes.
    """

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="certificates")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("인증번호"), max_length=30, unique=True)
    kind = models.CharField(_("인증 구분"), max_length=10, choices=CertificationKind.choices)
    size_class = models.CharField(
        _("도시 유형"), max_length=12, choices=SizeClass.choices, blank=True
    )
    granted_by = models.CharField(_("근거 결정"), max_length=12, choices=DecisionType.choices)
    valid_from = models.DateField(_("유효 시작일"))
    nominal_until = models.DateField(_("당초 만료일"))
    valid_until = models.DateField(_("유효 종료일"))
    ended_by = models.CharField(
        _("종료 사유"), max_length=12, choices=EndReason.choices, blank=True
    )
    ended_by_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_number = models.PositiveSmallIntegerField(_("연장 차수"), default=0)
    # Copies kept by ``rebuild_certificates`` so the status query reads this
    # table alone (issue 17): the subject's name, and the code as the
    # decision's source gave it, else the register's (Sejong: 36110). Neither
    # changes once written: names and codes of subjects and decisions are fixed.
    subject_name = models.CharField(_("대상 이름"), max_length=200, blank=True)
    subject_code = models.CharField(_("행정코드"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("인증서")
        verbose_name_plural = _("인증서")
        ordering = ["valid_from", "number"]
        indexes = [
            models.Index(fields=["valid_from", "valid_until"], name="certificate_validity_idx"),
            models.Index(fields=["kind", "valid_until"], name="certificate_kind_until_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PlateRecord(models.Model):
    """The bronze plate (동판) made for a certificate: when, what it reads,
    and to whom it was handed."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="plates")
    made_on = models.DateField(_("제작일"))
    inscription = models.CharField(_("새긴 문구"), max_length=300)
    delivered_to = models.CharField(_("전달 대상"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("기록 일시"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("인증 동판")
        verbose_name_plural = _("인증 동판")
        ordering = ["certificate", "made_on"]

    def __str__(self) -> str:
        return f"{self.certificate_id} @ {self.made_on}"
