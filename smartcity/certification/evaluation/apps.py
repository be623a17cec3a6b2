from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "smartcity.certification.evaluation"
    label = "evaluation"
    verbose_name = _("인증 평가")
