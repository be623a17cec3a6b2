from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "smartcity.frameworks"
    label = "frameworks"
    verbose_name = _("평가 지표 체계")
