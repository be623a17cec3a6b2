from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationKind(models.TextChoices):
    CITY = "city", _("스마트도시")
    SERVICE = "service", _("스마트도시 서비스")


class DecisionType(models.TextChoices):
    NEW = "new", _("신규 인증")
    EXTENSION = "extension", _("인증 연장")
    REVOCATION = "revocation", _("인증 취소")


class ServiceField(models.TextChoices):
    """Service fields open so far; more will follow (certification.md §7)."""

    TRANSPORT = "transport", _("교통")
    ENVIRONMENT_ENERGY = "environment_energy", _("환경·에너지")


class EndReason(models.TextChoices):
    EXTENDED = "extended", _("연장됨")
    REPLACED = "replaced", _("신규 인증으로 대체")
    REVOKED = "revoked", _("취소")


class RevocationGround(models.TextChoices):
    """Why a certificate is revoked (certification.md §6): obtaining it by
    fraud or other unlawful means obliges revocation; falling short of the
    criteria afterwards allows it."""

    FRAUD = "fraud", _("거짓이나 부정한 방법으로 인증을 받은 경우(필수 취소)")
    SHORTFALL = "shortfall", _("인증 기준에 미달하게 된 경우(임의 취소)")
