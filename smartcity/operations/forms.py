from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcity.core.uploads import within_upload_limit
from smartcity.operations.choices import CameraPurposeChoice
from smartcity.operations.domain.direction import parse_direction
from smartcity.operations.domain.video_rules import (
    ESCAPE_CORRIDOR_M,
    ESCAPE_LENGTH_M,
    EscapeRoute,
)
from smartcity.operations.models import EventStatus, EventType, Tenant


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("장소·발생 번호 검색"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("진행 상태"), required=False)
    event_type = forms.ChoiceField(label=_("상황 유형"), required=False)
    open = forms.BooleanField(label=_("진행 중인 상황만"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        event_type = self.fields["event_type"]
        assert isinstance(status, forms.ChoiceField) and isinstance(event_type, forms.ChoiceField)
        statuses = EventStatus.objects.order_by("sequence")
        types = EventType.objects.order_by("sort_order", "code")
        status.choices = [("", _("전체")), *((s.code, f"{s.code} {s.name}") for s in statuses)]
        event_type.choices = [("", _("전체")), *((t.code, f"{t.name} ({t.code})") for t in types)]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("새 진행 상태"))
    note = forms.CharField(
        label=_("메모"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, statuses: list[EventStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.code, f"{s.code} {s.name}") for s in statuses]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("메모"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandoverForm(forms.Form):
    to_tenant = forms.ModelChoiceField(label=_("이관받을 센터"), queryset=Tenant.objects.none())
    reason = forms.CharField(
        label=_("이관 사유"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, targets: QuerySet[Tenant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_tenant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets


class EscapeRouteForm(forms.Form):
    """A suspect's escape direction from the scene, as an operator hears it."""

    direction = forms.CharField(
        label=_("도주 방향"),
        max_length=50,
        help_text=_("방위(예: 북동, 남서쪽, 동→서) 또는 방위각(도, 예: 45)."),
    )
    length_m = forms.IntegerField(
        label=_("거리(m)"), min_value=int(ESCAPE_LENGTH_M[0]), max_value=int(ESCAPE_LENGTH_M[1]),
        initial=1_000, required=False,
    )  # fmt: skip
    corridor_m = forms.IntegerField(
        label=_("좌우 폭(m)"), min_value=int(ESCAPE_CORRIDOR_M[0]),
        max_value=int(ESCAPE_CORRIDOR_M[1]), initial=50, required=False,
    )  # fmt: skip

    def route(self) -> EscapeRoute:
        """The searched route (call after ``is_valid``); empty fields take the defaults."""
        data = self.cleaned_data
        return EscapeRoute(
            bearing_deg=float(data["direction"]), length_m=float(data["length_m"] or 1_000),
            corridor_m=float(data["corridor_m"] or 50),
        )  # fmt: skip

    def clean_direction(self) -> float:
        text = self.cleaned_data["direction"].strip()
        try:
            value = float(text)
        except ValueError:
            bearing = parse_direction(text).bearing_deg
            if bearing is None:
                raise forms.ValidationError(
                    _("방향을 알 수 없습니다. 북동, 남서처럼 쓰거나 방위각을 입력하세요.")
                ) from None
            return bearing
        if not 0 <= value < 360:
            raise forms.ValidationError(_("방위각은 0 이상 360 미만이어야 합니다."))
        return value


class CameraFilterForm(forms.Form):
    q = forms.CharField(label=_("주소 검색"), required=False, max_length=100)
    purpose = forms.ChoiceField(
        label=_("설치 목적"),
        required=False,
        choices=[("", _("전체")), *CameraPurposeChoice.choices],
    )


class ProgrammeImportForm(forms.Form):
    """A programme file: the calls, or the applicants and selections."""

    kind = forms.ChoiceField(
        label=_("파일 종류"),
        choices=[
            ("calls", _("보급 사업(연도별 한 행)")),
            ("applicants", _("응모·선정 지방자치단체")),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV 파일"),
        help_text=_(
            "사업: year, title_ko, title_en, announced_on, applicants_reported, "
            "selections_reported, budget_per_site_won, national_per_site_won, target_count, "
            "target_year, source. 응모·선정: year, municipality_code, municipality_name, "
            "selected, national_subsidy_won, local_subsidy_won, source, note. UTF-8 또는 CP949."
        ),
        validators=[within_upload_limit],
    )
