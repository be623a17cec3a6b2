from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartcity.municipalities.selectors import municipality_list


def municipality_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    municipalities = municipality_list(query)
    return render(
        request,
        "municipalities/list.html",
        {"municipalities": municipalities, "q": query},
    )
