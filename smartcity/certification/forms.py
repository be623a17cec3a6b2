"""The certification pages' forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.frameworks.models import FrameworkVersion


class StartSelfAssessmentForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("지표 체계"), queryset=FrameworkVersion.objects.none()
    )
    title = forms.CharField(label=_("제목"), max_length=200)
    service_name = forms.CharField(label=_("서비스명"), max_length=200, required=False)

    def __init__(self, *args: object, frameworks: object, track: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = frameworks  # type: ignore[assignment]
        if track != "service":
            del self.fields["service_name"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "service_name" in self.fields and not data.get("service_name"):
            self.add_error("service_name", _("서비스 인증은 서비스명이 필요합니다."))
        return data


# --- the workflow (소명·보완, reasons, answers) ------------------------------


class SupplementRequestForm(forms.Form):
    message = forms.CharField(
        label=_("요청 내용"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    due_at = forms.DateTimeField(
        label=_("제출 기한"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    indicator_codes = forms.CharField(
        label=_("관련 지표 코드(쉼표로 구분, 선택)"), required=False, max_length=1000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            due = timezone.localtime() + dt.timedelta(days=settings.CERTIFICATION_SUPPLEMENT_DAYS)
            self.initial["due_at"] = due.replace(hour=18, minute=0, second=0, microsecond=0)

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("indicator_codes", "")
        return [c.strip() for c in raw.replace("\n", ",").split(",") if c.strip()]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("사유"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=_("답변 내용"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
