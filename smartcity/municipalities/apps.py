from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "smartcity.municipalities"
    label = "municipalities"
    verbose_name = _("지방자치단체")
