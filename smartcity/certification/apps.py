from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "smartcity.certification"
    label = "certification"
    verbose_name = _("인증 신청")
