from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from smartcity.frameworks.access import access_framework, can_manage_frameworks
from smartcity.frameworks.forms import FrameworkImportForm
from smartcity.frameworks.selectors import engine_framework, visible_frameworks
from smartcity.frameworks.services import export_framework, import_framework
from smartcity.scoring.rules import (
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    YesNoRule,
)

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = visible_frameworks(include_drafts=can_manage_frameworks(request.user))
    return render(
        request,
        "frameworks/list.html",
        {"frameworks": frameworks, "can_manage": can_manage_frameworks(request.user)},
    )


def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = access_framework(request.user, code)
    framework = engine_framework(version)
    areas = []
    for area in framework.areas:
        items = [
            {
                "item": item,
                "indicators": [
                    {"indicator": i, "rule": describe_rule(i.rule)} for i in item.indicators
                ],
                "points": sum((i.points for i in item.indicators), Decimal(0)),
            }
            for item in area.items
        ]
        area_points = sum((i.points for it in area.items for i in it.indicators), Decimal(0))
        areas.append({"area": area, "items": items, "points": area_points})
    return render(
        request,
        "frameworks/detail.html",
        {"version": version, "framework": framework, "areas": areas},
    )


def describe_rule(rule: object) -> dict[str, object]:
    """What a template needs to show a rule (the words are in the template)."""
    if isinstance(rule, NormalisedCountRule):
        return {"type": "normalised_count", "per": rule.per, "scale": rule.scale,
                "inner": describe_rule(rule.rule)}  # fmt: skip
    if isinstance(rule, BandsRule):
        return {"type": "bands", "direction": rule.direction, "bands": rule.bands}
    if isinstance(rule, LinearRule):
        return {"type": "linear", "direction": rule.direction, "floor": rule.floor,
                "target": rule.target}  # fmt: skip
    if isinstance(rule, MaturityRule):
        return {"type": "maturity", "stages": list(
            zip(range(1, 6), rule.stage_shares, rule.descriptors_ko, rule.descriptors_en,
                strict=True))}  # fmt: skip
    if isinstance(rule, YesNoRule):
        return {"type": "yes_no"}
    return {"type": "unknown"}


def framework_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    version = access_framework(request.user, code)
    response = HttpResponse(export_framework(version, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{version.code}.{fmt}"'
    return response


@login_required
def framework_import(request: HttpRequest) -> HttpResponse:
    if not can_manage_frameworks(request.user):
        raise Http404
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_framework(
            data=upload.read(),
            file_name=upload.name,
            actor=request.user,
            publish=form.cleaned_data["publish"],
        )
        if result.ok and result.framework is not None:
            return redirect(reverse("frameworks:detail", args=[result.framework.code]))
        problems = result.problems
    grouped: OrderedDict[str, list[object]] = OrderedDict()
    for p in problems:
        grouped.setdefault(p.subject or "—", []).append(p)
    return render(
        request,
        "frameworks/import.html",
        {"form": form, "grouped": grouped, "count": len(problems)},
        status=400 if problems or form.errors else 200,
    )
