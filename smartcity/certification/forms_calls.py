"""The call form (공모 만들기·고치기): its fields, and the errors the service
returns put back on the field they concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcity.certification.domain.calls import SCHEDULE_FIELDS
from smartcity.certification.messages import call_problem_message
from smartcity.certification.models import Attachment
from smartcity.certification.services.calls import CallDetails
from smartcity.core.domain.spreadsheet import control_characters
from smartcity.frameworks.choices import FrameworkKind
from smartcity.frameworks.models import FrameworkVersion
from smartcity.municipalities.models import SizeClassRule

#: To the second, in the server's time zone (Asia/Seoul: KST).
SECONDS = "%Y-%m-%dT%H:%M:%S"
LABELS = {
    "announced_at": _("공고 일시"),
    "submission_opens_at": _("접수 시작(초 단위, KST)"),
    "submission_closes_at": _("접수 마감(초 단위, KST)"),
    "written_review_starts_at": _("서면평가 시작"),
    "site_inspection_starts_at": _("현장실사 시작"),
    "decision_starts_at": _("결과 보고 시작"),
    "approval_due_at": _("승인 기한(선택)"),
    "results_announced_at": _("결과 발표"),
}


def _moment(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[SECONDS, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format=SECONDS),
    )


def _no_control_characters(value: str) -> None:
    found = control_characters(value)
    if found:
        raise ValidationError(
            _("쓸 수 없는 제어 문자가 있습니다: %(chars)s"), params={"chars": ", ".join(found)}
        )


class CallForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("지표 체계"), queryset=FrameworkVersion.objects.none()
    )
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2200)
    title_ko = forms.CharField(
        label=_("공모명"), max_length=200, validators=[_no_control_characters]
    )
    title_en = forms.CharField(
        label=_("공모명(영문)"),
        max_length=200,
        required=False,
        validators=[_no_control_characters],
    )
    field = forms.CharField(
        label=_("분야"),
        max_length=40,
        required=False,
        validators=[_no_control_characters],
        help_text=_("비워 두면 지표 체계의 분야를 씁니다."),
    )
    notice = forms.CharField(
        label=_("공고문"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[_no_control_characters],
    )
    size_class_rule = forms.ModelChoiceField(
        label=_("도시 유형 구분 규칙"),
        queryset=SizeClassRule.objects.order_by("-first_call_year"),
        required=False,
        empty_label=_("공모 연도에 시행 중인 규칙"),
    )
    population_reference_date = forms.DateField(
        label=_("인구 기준일(주민등록인구)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("비워 두면 공모 연도 전해의 12월 31일입니다."),
    )
    required_documents = forms.MultipleChoiceField(
        label=_("제출 서류"),
        choices=Attachment.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    announced_at = _moment(LABELS["announced_at"])
    submission_opens_at = _moment(LABELS["submission_opens_at"])
    submission_closes_at = _moment(LABELS["submission_closes_at"])
    written_review_starts_at = _moment(LABELS["written_review_starts_at"])
    site_inspection_starts_at = _moment(LABELS["site_inspection_starts_at"])
    decision_starts_at = _moment(LABELS["decision_starts_at"])
    approval_due_at = _moment(LABELS["approval_due_at"], required=False)
    results_announced_at = _moment(LABELS["results_announced_at"])
    reason = forms.CharField(
        label=_("변경 사유"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[_no_control_characters],
        help_text=_(
            "공고된 공모의 지난 일정을 바꿀 때 적습니다. 감사 기록에 남고 "
            "신청 기관과 평가위원에게 알려집니다."
        ),
    )

    def __init__(
        self,
        *args: Any,
        track: str,
        frameworks: QuerySet[FrameworkVersion],
        published: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        framework = self.fields["framework"]
        assert isinstance(framework, forms.ModelChoiceField)
        framework.queryset = frameworks
        if published:
            framework.disabled = True
        else:
            del self.fields["reason"]
        if track == FrameworkKind.CITY:
            del self.fields["field"]
        else:
            del self.fields["size_class_rule"]

    def details(self) -> CallDetails:
        data = self.cleaned_data
        return CallDetails(
            year=data["year"],
            framework=data["framework"],
            title_ko=data["title_ko"],
            title_en=data.get("title_en", ""),
            field=data.get("field", ""),
            notice=data.get("notice", ""),
            size_class_rule=data.get("size_class_rule"),
            population_reference_date=data.get("population_reference_date"),
            required_documents=list(data["required_documents"]),
            dates={name: data.get(name) for name in SCHEDULE_FIELDS},
        )

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Put each refusal of the service on its field (or above the form)."""
        for name, codes in problems.items():
            for code in codes:
                self.add_error(name if name in self.fields else None, call_problem_message(code))


def initial_for(track: str, frameworks: QuerySet[FrameworkVersion], year: int) -> dict[str, Any]:
    """A new call's form: the latest framework of the track and the default
    documents; the dates are left for the operating body to set."""
    latest = frameworks.filter(kind=track).order_by("-year").first()
    return {
        "framework": latest,
        "year": year,
        "population_reference_date": dt.date(year - 1, 12, 31),
        "required_documents": ["application_form", "proposal", "self_evaluation", "evidence"],
    }
