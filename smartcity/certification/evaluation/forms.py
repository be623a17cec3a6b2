"""Forms of the committee pages (labels in Korean, English through gettext)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import Committee, InspectionOutcome
from smartcity.certification.models import Application


class AddMemberForm(forms.Form):
    committee = forms.ModelChoiceField(
        label=_("위원회"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("공통 위원은 고르지 않아도 모든 위원회에 위촉됩니다."),
    )
    member = forms.ModelChoiceField(
        label=_("위원"),
        queryset=User.objects.filter(role=Role.COMMITTEE_MEMBER, is_active=True).order_by(
            "username"
        ),
    )
    is_common = forms.BooleanField(label=_("공통 위원(모든 그룹)"), required=False)
    is_chair = forms.BooleanField(label=_("위원장"), required=False)
    load_limit = forms.IntegerField(
        label=_("최대 배정 건수"),
        required=False,
        min_value=1,
        help_text=_("비우면 기본값을 씁니다."),
    )

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = committees

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("committee") is None and not self.has_error("committee"):
            if data.get("is_common"):
                # A common member sits on every committee of the call.
                field = self.fields["committee"]
                assert isinstance(field, forms.ModelChoiceField)
                committees = field.queryset
                data["committee"] = committees.order_by("pk").first() if committees else None
            if data.get("committee") is None:
                self.add_error(
                    "committee", _("위원회를 고르세요. 공통 위원이면 고르지 않아도 됩니다.")
                )
        return data


class AutoAssignForm(forms.Form):
    per_application = forms.IntegerField(
        label=_("신청서별 위원 수"), min_value=1, max_value=20, required=False
    )


class DeclareConflictForm(forms.Form):
    note = forms.CharField(label=_("이해충돌 사유"), max_length=2000, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("의견"), widget=forms.Textarea(attrs={"rows": 3}))
    indicator_code = forms.CharField(label=_("관련 지표 코드(선택)"), max_length=40, required=False)


class InspectionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("확인 결과"),
        choices=[c for c in InspectionOutcome.choices if c[0] != InspectionOutcome.PENDING],
    )
    adjusted_points = forms.DecimalField(
        label=_("조정 점수"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("확인 내용"), required=False, max_length=2000)


class AssignForm(forms.Form):
    """Assign one of the call's committee members to one of its applications by hand."""

    application = forms.ModelChoiceField(label=_("신청서"), queryset=Application.objects.none())
    member = forms.ModelChoiceField(label=_("위원"), queryset=User.objects.none())

    def __init__(self, *args: Any, applications: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("application", applications), ("member", members)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
