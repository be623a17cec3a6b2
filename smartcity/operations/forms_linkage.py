"""Forms of the linkage services: granting video, break-glass, the log's month."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcity.operations.choices import IntakeSource
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


# The system an agency's own incidents come from: the break-glass form's default.
_OWN_SENDER = {"police": IntakeSource.POLICE, "fire": IntakeSource.FIRE,
               "disaster_room": IntakeSource.DISASTER}  # fmt: skip


class BreakGlassForm(forms.Form):
    """Names one incident: by the sending system and its occurrence number
    (a 119 report may carry the same number as a 112 one), or by its id."""

    sender = forms.ChoiceField(
        label=_("보낸 기관"), choices=IntakeSource.choices, required=False,
        help_text=_("발생 번호를 부여한 시스템입니다(112, 119 등)."),
    )  # fmt: skip
    external_id = forms.CharField(
        label=_("사건 번호(발생 번호)"), max_length=64, required=False,
        help_text=_("112·119 시스템이 센터에 보낸 발생 번호입니다."),
    )  # fmt: skip
    incident_id = forms.IntegerField(
        label=_("상황 번호"), required=False, min_value=1, max_value=2**63 - 1,
        help_text=_("발생 번호가 여러 센터에 있을 때 센터가 알려 준 상황 번호를 입력합니다."),
    )  # fmt: skip
    crime_type = forms.ChoiceField(
        label=_("범죄 유형"), choices=(), required=True,
        help_text=_(
            "영상 제공 대상 범죄 중 하나입니다. 112 시스템이 보낸 사건 종별이 있으면 그것이 "
            "우선하고, 없을 때 여기서 고른 유형으로 판단해 월간 점검에 표시합니다."
        ),
    )  # fmt: skip
    justification = forms.CharField(
        label=_("긴급 열람 사유"), min_length=MIN_JUSTIFICATION, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("센터의 제공 결정을 기다릴 수 없는 이유를 적습니다. 월간 점검에 표시됩니다."),
    )  # fmt: skip

    def __init__(
        self, *args: Any, agency_kind: str = "", crime_types: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["sender"].initial = _OWN_SENDER.get(agency_kind, "")
        crime = self.fields["crime_type"]
        assert isinstance(crime, forms.ChoiceField)
        if agency_kind == "police":
            crime.choices = [("", _("고르세요")), *crime_types]
        else:  # fire and disaster rooms receive video without the crime rule
            del self.fields["crime_type"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("incident_id") is not None:
            return data
        if not str(data.get("external_id") or "").strip():
            self.add_error("external_id", _("발생 번호를 입력하거나 상황 번호를 입력하세요."))
        elif not data.get("sender"):
            self.add_error("sender", _("발생 번호를 보낸 기관을 고르세요."))
        return data


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MonthForm(forms.Form):
    month = forms.CharField(label=_("월"), max_length=7, help_text=_("예: 2026-11"))

    def clean_month(self) -> str:
        value = str(self.cleaned_data["month"]).strip()
        if not _MONTH.match(value):
            raise forms.ValidationError(_("YYYY-MM 형식으로 입력하세요."))
        return value


class AccessLogFilterForm(MonthForm):
    """The access log's filters: the month, an agency, an officer, what to show."""

    SHOW_CHOICES = [
        ("all", _("전체")),
        ("sessions", _("열람 세션만")),
        ("refused", _("거부만")),
        ("break_glass", _("긴급 열람만")),
    ]

    agency = forms.ModelChoiceField(
        label=_("기관"), queryset=Agency.objects.none(), required=False, empty_label=_("모든 기관")
    )
    officer = forms.CharField(label=_("열람자 아이디"), max_length=150, required=False)
    show = forms.ChoiceField(label=_("보기"), choices=SHOW_CHOICES, required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
