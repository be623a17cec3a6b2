from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityType(models.TextChoices):
    SPECIAL_CITY = "special_city", _("특별시")
    METROPOLITAN_CITY = "metropolitan_city", _("광역시")
    SPECIAL_SELF_GOVERNING_CITY = "special_self_governing_city", _("특별자치시")
    PROVINCE = "province", _("도")
    SPECIAL_SELF_GOVERNING_PROVINCE = "special_self_governing_province", _("특별자치도")
    CITY = "city", _("시")
    COUNTY = "county", _("군")
    AUTONOMOUS_DISTRICT = "autonomous_district", _("자치구")


class SizeClass(models.TextChoices):
    LARGE = "large", _("대도시")
    SMALL_MEDIUM = "small_medium", _("중소도시")
