from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.core.uploads import within_upload_limit
from smartcity.municipalities.choices import SizeClass
from smartcity.registry.choices import CertificationKind, RevocationGround


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("이름 검색"), required=False, max_length=100)
    year = forms.TypedChoiceField(
        label=_("결정 연도"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("인증 구분"), required=False, choices=[("", _("전체")), *CertificationKind.choices]
    )
    size_class = forms.ChoiceField(
        label=_("도시 유형"), required=False, choices=[("", _("전체")), *SizeClass.choices]
    )
    on = forms.DateField(
        label=_("이 날짜에 유효한 인증만"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", _("전체")), *((y, str(y)) for y in years)]


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("인증번호"),
        max_length=30,
        help_text=_("인증서에 적힌 번호를 입력하세요(예: 2021-C-0001)."),
    )


class ImportDecisionsForm(forms.Form):
    file = forms.FileField(
        label=_("인증 결정 CSV 파일"),
        help_text=_(
            "열: kind, subject, subject_code, size_class, decision, decided_on, field, holder, "
            "note, source. 선택 열: ground(취소 사유), grade(등급 1~5). UTF-8 또는 CP949."
        ),
        validators=[within_upload_limit],
    )


class RevokeForm(forms.Form):
    ground_kind = forms.ChoiceField(
        label=_("취소 근거"),
        choices=RevocationGround.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "부정한 방법으로 받은 인증은 반드시 취소하고, 기준 미달은 취소할 수 있습니다"
            "(스마트도시법 제33조)."
        ),
    )
    ground = forms.CharField(
        label=_("취소 사유"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("공개 확인 페이지와 인증 보유 기관에 알리는 내용입니다."),
    )
    effective_on = forms.DateField(
        label=_("효력 발생일"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("이날부터 인증이 효력을 잃습니다. 오늘 또는 그 이후의 날짜를 고르세요."),
    )


class PlateForm(forms.Form):
    made_on = forms.DateField(label=_("제작일"), widget=forms.DateInput(attrs={"type": "date"}))
    inscription = forms.CharField(label=_("새긴 문구"), max_length=300)
    delivered_to = forms.CharField(label=_("전달 대상"), max_length=200, required=False)
