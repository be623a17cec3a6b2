"""The audit log's filters: by actor, object and date, each validated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.site.audit import ACTION_LABELS, OBJECT_LABELS

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("행위자"), required=False, max_length=100,
        help_text=_("계정 이름, 표시 이름 또는 기록된 행위자 표시의 일부"),
    )  # fmt: skip
    action = forms.ChoiceField(label=_("행위"), required=False)
    object_type = forms.ChoiceField(label=_("대상 유형"), required=False)
    object_id = forms.RegexField(
        label=_("대상 ID"), required=False, max_length=100, regex=r"^[0-9A-Za-z_.:-]+$",
        error_messages={"invalid": _("대상 ID는 영문, 숫자와 - _ . : 만 쓸 수 있습니다.")},
    )  # fmt: skip
    since = forms.DateField(
        label=_("시작일"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label=_("종료일"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("전체"))]
        actions = sorted(
            ((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[1]
        )
        objects = sorted(
            ((code, str(label)) for code, label in OBJECT_LABELS.items()), key=lambda c: c[1]
        )
        self.fields["action"].choices = every + actions  # type: ignore[attr-defined]
        self.fields["object_type"].choices = every + objects  # type: ignore[attr-defined]

    def _clean_day(self, name: str) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("%(first)s부터 %(last)s 사이의 날짜를 입력하세요."),
                params={"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
            )
        return day

    def clean_since(self) -> dt.date | None:
        return self._clean_day("since")

    def clean_until(self) -> dt.date | None:
        return self._clean_day("until")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("종료일은 시작일과 같거나 그 뒤여야 합니다."))
        return data
