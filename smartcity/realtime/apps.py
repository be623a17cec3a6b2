from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "smartcity.realtime"
    label = "realtime"
    verbose_name = _("실시간 알림")
