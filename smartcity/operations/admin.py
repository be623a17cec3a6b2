"""The Django admin for rule data: the crime types police may receive video
for. Saving goes through the model form, then the service audits the result."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartcity.operations.domain.crime_types import normalise
from smartcity.operations.models import VideoCrimeType, VideoCrimeVariant
from smartcity.operations.services.crime_rules import (
    record_crime_type_change,
    record_crime_type_deletion,
)


class VariantFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        """No spelling may name two types: 112's case type must mean one thing."""
        super().clean()
        own = self.instance.pk
        for form in self.forms:
            name = (form.cleaned_data or {}).get("name")
            if not name or (form.cleaned_data or {}).get("DELETE"):
                continue
            key = normalise(name)
            for other in VideoCrimeVariant.objects.exclude(crime_type_id=own).select_related(
                "crime_type"
            ):
                if normalise(other.name) == key:
                    form.add_error(
                        "name",
                        _("이 사건 종별은 이미 다른 범죄 유형(%(type)s)에 있습니다.")
                        % {"type": other.crime_type.name_ko},
                    )
                    break


class VariantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = VideoCrimeVariant
    formset = VariantFormSet
    extra = 1


@admin.register(VideoCrimeType)
class VideoCrimeTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name_ko", "code", "legal_ground", "is_active", "position")
    list_filter = ("is_active", "legal_ground")
    search_fields = ("name_ko", "code", "variants__name")
    inlines = [VariantInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_crime_type_change(actor=request.user, crime_type=form.instance, created=not change)

    def delete_model(self, request: HttpRequest, obj: VideoCrimeType) -> None:
        pk, code = obj.pk, obj.code
        super().delete_model(request, obj)
        record_crime_type_deletion(actor=request.user, code=code, pk=pk)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in list(queryset):
            self.delete_model(request, obj)
