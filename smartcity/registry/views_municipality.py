"""A municipality's page (``municipalities:detail``).

It shows the register's facts about a municipality and, when the municipality
holds a certification, a link to its record. The registry serves it because
the registry is the floor that may read both; the municipalities app, below
it, must not import the registry (docs/architecture.md). config/urls.py keeps
the page's URL and name in the municipalities namespace.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from smartcity.municipalities.selectors import municipality_facts
from smartcity.registry.selectors import subject_for_municipality


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    facts = municipality_facts(code)
    if facts is None:
        raise Http404
    return render(
        request,
        "registry/municipality.html",
        {
            "municipality": facts.municipality,
            "counts": facts.population_counts,
            "classes": facts.size_classes,
            "subject": subject_for_municipality(code),
        },
    )
