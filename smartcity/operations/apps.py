from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "smartcity.operations"
    label = "operations"
    verbose_name = _("스마트시티 통합플랫폼")
