"""Forms of the linkage services: granting video, break-glass, the log's month."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcity.operations.domain.video_rules import MIN_JUSTIFICATION
from smartcity.operations.models import Agency


class GrantForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("영상을 받을 기관"), queryset=Agency.objects.none())
    cameras = forms.TypedMultipleChoiceField(
        label=_("제공할 CCTV"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, agencies: QuerySet[Agency], cameras: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        camera_field = self.fields["cameras"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(camera_field, forms.TypedMultipleChoiceField)
        agency.queryset = agencies
        camera_field.choices = list(cameras)
        camera_field.initial = [pk for pk, _label in cameras]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("중단 사유"), required=False, max_length=500)


class BreakGlassForm(forms.Form):
    external_id = forms.CharField(
        label=_("사건 번호(발생 번호)"), max_length=64,
        help_text=_("112·119 시스템이 센터에 보낸 발생 번호입니다."),
    )  # fmt: skip
    justification = forms.CharField(
        label=_("긴급 열람 사유"), min_length=MIN_JUSTIFICATION, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("센터의 제공 결정을 기다릴 수 없는 이유를 적습니다. 월간 점검에 표시됩니다."),
    )  # fmt: skip


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MonthForm(forms.Form):
    month = forms.CharField(label=_("월"), max_length=7, help_text=_("예: 2026-11"))

    def clean_month(self) -> str:
        value = str(self.cleaned_data["month"]).strip()
        if not _MONTH.match(value):
            raise forms.ValidationError(_("YYYY-MM 형식으로 입력하세요."))
        return value
