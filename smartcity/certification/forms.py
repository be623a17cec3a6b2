from __future__ import annotations

from django import forms
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
