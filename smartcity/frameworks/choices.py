from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkKind(models.TextChoices):
    CITY = "city", _("스마트도시")
    SERVICE = "service", _("스마트도시 서비스")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("초안")
    PUBLISHED = "published", _("공표")


class IndicatorType(models.TextChoices):
    QUANTITATIVE = "quantitative", _("정량지표")
    MATURITY = "maturity", _("정성지표(성숙도)")


class CrosswalkRelation(models.TextChoices):
    MAPPED = "mapped", _("대응")
    RETIRED = "retired", _("폐지")
    NEW = "new", _("신설")
