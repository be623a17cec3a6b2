from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("모의인증(자가진단)")
    APPLICATION = "application", _("인증 신청")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("작성 중")
    SUBMITTED = "submitted", _("제출됨")
