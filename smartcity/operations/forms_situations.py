"""Forms of the disaster situation service: the area whose cameras are shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.operations.domain.areas import (
    MAX_RADIUS_M,
    Area,
    AreaInvalid,
    circle,
    polygon_from_geojson,
)
from smartcity.operations.models import Agency


def area_error(code: str) -> str:
    messages = {
        "bad_centre": gettext("중심 좌표가 올바르지 않습니다."),
        "bad_radius": gettext("반경은 0보다 크고 50,000m 이하여야 합니다."),
        "not_json": gettext("GeoJSON 형식이 아닙니다."),
        "not_a_polygon": gettext("GeoJSON Polygon(또는 Polygon 하나를 담은 Feature)이어야 합니다."),
        "bad_position": gettext("다각형의 좌표가 올바르지 않습니다([경도, 위도])."),
        "too_few_vertices": gettext("다각형에는 꼭짓점이 세 개 이상 있어야 합니다."),
        "too_many_vertices": gettext("다각형의 꼭짓점이 너무 많습니다."),
    }
    return messages.get(code, code)


class DisasterAreaForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("영상을 받을 재난안전상황실"), queryset=Agency.objects.none()
    )
    warning = forms.CharField(
        label=_("특보·경보"), required=False, max_length=100,
        help_text=_("예: 호우경보, 태풍경보, 지진해일 경보"),
    )  # fmt: skip
    shape = forms.ChoiceField(
        label=_("영역"), widget=forms.RadioSelect,
        choices=[("circle", _("원(중심과 반경)")), ("polygon", _("다각형(GeoJSON)"))],
        initial="circle",
    )  # fmt: skip
    centre_lat = forms.FloatField(label=_("중심 위도"), required=False)
    centre_lon = forms.FloatField(label=_("중심 경도"), required=False)
    radius_m = forms.FloatField(
        label=_("반경(m)"), required=False, min_value=1, max_value=MAX_RADIUS_M, initial=1000
    )
    polygon = forms.CharField(
        label=_("다각형(GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('예: {"type": "Polygon", "coordinates": [[[127.0, 37.5], …]]}'),
    )  # fmt: skip

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if data.get("shape") == "polygon":
                data["area"] = polygon_from_geojson(str(data.get("polygon") or ""))
            else:
                lat, lon, radius = (
                    data.get("centre_lat"),
                    data.get("centre_lon"),
                    data.get("radius_m"),
                )
                if lat is None or lon is None or radius is None:
                    raise AreaInvalid("bad_centre" if radius is not None else "bad_radius")
                data["area"] = circle(float(lat), float(lon), float(radius))
        except AreaInvalid as exc:
            raise forms.ValidationError(area_error(exc.code)) from exc
        return data

    @property
    def area(self) -> Area:
        area: Area = self.cleaned_data["area"]
        return area
