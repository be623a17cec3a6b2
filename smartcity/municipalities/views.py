from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import (
    SizeClassAnswer,
    municipality_list,
    size_class_for,
)
from smartcity.registry.selectors import subject_for_municipality


def municipality_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    municipalities = municipality_list(query)
    return render(
        request,
        "municipalities/list.html",
        {"municipalities": municipalities, "q": query},
    )


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("parent"), code=code)
    counts = municipality.population_counts.order_by("-reference_date")
    classes: list[tuple[int, SizeClassAnswer | None]] = []
    for year in (2021, 2024):
        try:
            classes.append((year, size_class_for(code, call_year=year)))
        except LookupError:
            classes.append((year, None))
    return render(
        request,
        "municipalities/detail.html",
        {
            "municipality": municipality,
            "counts": counts,
            "classes": classes,
            "subject": subject_for_municipality(code),
        },
    )
