from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "smartcity.analytics"
    label = "analytics"
    verbose_name = _("통계·보고서·공공데이터")
