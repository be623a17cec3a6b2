from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.analytics.models import CallFigures
from smartcity.analytics.services import MAX_APPLICANTS
from smartcity.municipalities.choices import SizeClass


def _set_years(form: forms.Form, years: list[int]) -> None:
    year_field = form.fields["year"]
    assert isinstance(year_field, forms.TypedChoiceField)
    year_field.choices = [("", _("전체")), *((y, str(y)) for y in years)]


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int, empty_value=None)
    size_class = forms.ChoiceField(
        label=_("도시 유형"), required=False, choices=[("", _("전체")), *SizeClass.choices]
    )

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _set_years(self, years)


class MapFilterForm(forms.Form):
    MODES = [("status", _("인증 상태")), ("score", _("총점(배점 대비 %)"))]

    mode = forms.ChoiceField(label=_("색칠 기준"), required=False, choices=MODES)
    on = forms.DateField(
        label=_("기준일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    year = forms.TypedChoiceField(
        label=_("평가 연도(점수)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _set_years(self, years)


class GoodPracticeForm(forms.Form):
    subject = forms.TypedChoiceField(label=_("인증 대상"), coerce=int)
    heading = forms.CharField(label=_("주요 부문"), max_length=200)
    body = forms.CharField(
        label=_("주요 내용"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("한 줄에 한 항목씩 적습니다."),
    )

    def __init__(
        self, *args: object, subjects: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        subject_field = self.fields["subject"]
        assert isinstance(subject_field, forms.TypedChoiceField)
        if subjects is None:
            del self.fields["subject"]
        else:
            subject_field.choices = subjects


class CallFiguresForm(forms.Form):
    """What the Ministry published about a year's call (the numbers, and where)."""

    kind = forms.ChoiceField(label=_("인증 구분"), choices=CallFigures.Kind.choices)
    applicants = forms.IntegerField(
        label=_("신규 인증 신청 수"),
        required=False,
        min_value=0,
        max_value=MAX_APPLICANTS,
        help_text=_("예: 2021년 공모에는 총 30개 도시가 참여했습니다. 모르면 비워 둡니다."),
    )
    extension_applicants = forms.IntegerField(
        label=_("연장(재검토) 신청 수"), required=False, min_value=0, max_value=MAX_APPLICANTS
    )
    source = forms.CharField(
        label=_("출처"),
        max_length=300,
        help_text=_("숫자를 밝힌 보도자료나 공고(발표일과 제목)."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("applicants") is None and data.get("extension_applicants") is None:
            self.add_error("applicants", _("신청 수를 하나 이상 입력하세요."))
        return data
