"""Forms of the centre set-up pages. Text fields refuse control characters
(NUL and the other C0 characters) with a sentence naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.core.domain.spreadsheet import control_characters
from smartcity.core.uploads import within_upload_limit
from smartcity.operations.choices import AgencyKindChoice, IntakeSource
from smartcity.operations.models import LayerKind

#: The furthest a certification may be set ahead (and the date field's bound).
MAX_CERTIFICATION_YEARS = 5


def no_control_characters(value: str) -> None:
    found = control_characters(value) + (["U+0009"] if "\t" in value else [])
    if found or "\n" in value or "\r" in value:
        raise ValidationError(
            _("제어 문자(NUL, 줄바꿈 등)는 쓸 수 없습니다: %(chars)s"),
            code="control_character",
            params={"chars": ", ".join(found) or "U+000A"},
        )


def _text(label: Any, max_length: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required,
        validators=[no_control_characters],
    )  # fmt: skip


class IntakeClientForm(forms.Form):
    name = _text(_("연계 시스템 이름"), 200)
    source = forms.ChoiceField(label=_("보내는 기관"), choices=IntakeSource.choices)


class AgencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("기관 유형"), choices=AgencyKindChoice.choices)
    name_ko = _text(_("기관명"), 200)
    name_en = _text(_("영문 기관명"), 200, required=False)


class AgencyEditForm(AgencyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class CertificationDateField(forms.DateField):
    """A date from today up to :data:`MAX_CERTIFICATION_YEARS` ahead."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not isinstance(value, dt.date):
            return
        today = timezone.localdate()
        if value < today:
            raise ValidationError(_("인증 만료일은 오늘이나 그 뒤여야 합니다."), code="past")
        if value > today + dt.timedelta(days=366 * MAX_CERTIFICATION_YEARS):
            raise ValidationError(
                _("인증 만료일은 %(years)s년 안이어야 합니다."),
                code="too_far", params={"years": MAX_CERTIFICATION_YEARS},
            )  # fmt: skip


class OfficerForm(forms.Form):
    username = forms.RegexField(
        label=_("아이디"), max_length=150, regex=r"^[A-Za-z0-9._-]+$",
        error_messages={
            "invalid": _("아이디는 영문, 숫자, 마침표, 밑줄, 하이픈만 쓸 수 있습니다.")
        },
    )  # fmt: skip
    display_name = _text(_("이름"), 100)
    password = forms.CharField(
        label=_("처음 비밀번호"), max_length=128, widget=forms.PasswordInput,
        help_text=_("담당자에게 따로 전하고, 처음 로그인한 뒤 바꾸게 하세요."),
    )  # fmt: skip
    certified_until = CertificationDateField(
        label=_("영상 열람 인증 만료일"), widget=forms.DateInput(attrs={"type": "date"})
    )


class OfficerEditForm(forms.Form):
    display_name = _text(_("이름"), 100)
    certified_until = CertificationDateField(
        label=_("영상 열람 인증 만료일"), widget=forms.DateInput(attrs={"type": "date"})
    )


#: How archives and office files start: refused with a sentence instead of
#: being read as text (a zip would decode as CP949 noise).
_BINARY_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"\xd0\xcf\x11\xe0", b"%PDF", b"7z\xbc\xaf")


def text_file(file: Any) -> None:
    head = file.read(8)
    file.seek(0)
    if head.startswith(_BINARY_MAGIC):
        raise ValidationError(
            _("압축 파일이나 엑셀·PDF 파일은 받지 않습니다. CSV 파일을 올리세요."),
            code="binary_file",
        )


class CameraUploadForm(forms.Form):
    file = forms.FileField(
        label=_("전국CCTV표준데이터 CSV 파일"), validators=[within_upload_limit, text_file],
        help_text=_("UTF-8 또는 CP949, 18개 열의 현행 양식이나 이전 양식을 받습니다."),
    )  # fmt: skip


class LayerUploadForm(forms.Form):
    layer = forms.ChoiceField(label=_("레이어"), choices=LayerKind.choices)
    file = forms.FileField(
        label=_("CSV 파일"), validators=[within_upload_limit, text_file],
        help_text=_("공공데이터포털의 표준데이터 CSV(UTF-8 또는 CP949)를 받습니다."),
    )  # fmt: skip
