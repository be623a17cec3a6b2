from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.accounts.models import User
from smartcity.certification.access import (
    access_application,
    can_edit_claims,
    can_score,
    can_see_member_scores,
    track_to_start,
)
from smartcity.certification.domain.claims import (
    ClaimError,
    ClaimInput,
    check_claims,
    indicator_kind,
    indicators_by_code,
    is_percentage,
    normalised_value,
    observations_from,
)
from smartcity.certification.forms import StartSelfAssessmentForm
from smartcity.certification.messages import claim_error_message
from smartcity.certification.models import Application, Claim
from smartcity.certification.selectors import (
    application_score_or_problem,
    applications_for,
    denominator_of,
    engine_inputs,
    explain,
    score_problem,
)
from smartcity.certification.services import (
    save_claims,
    set_area,
    start_self_assessment,
)
from smartcity.certification.whatif import what_if_view_model
from smartcity.core.htmx import HtmxHttpRequest
from smartcity.frameworks.selectors import engine_framework, published_frameworks
from smartcity.scoring import ScoringInputError, score


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    can_start = track_to_start(user) is not None
    return render(
        request,
        "certification/list.html",
        {"applications": applications_for(user), "can_start": can_start},
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    track = track_to_start(user)
    if track is None:
        raise Http404
    form = StartSelfAssessmentForm(
        request.POST or None,
        frameworks=published_frameworks().filter(kind=track).order_by("-year"),
        track=track,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = start_self_assessment(
                actor=user,
                framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"],
                service_name=form.cleaned_data.get("service_name", ""),
            )
        except PermissionDenied:
            form.add_error(None, _("이 지표 체계로는 모의인증을 시작할 수 없습니다."))
        else:
            return redirect(reverse("certification:edit", args=[application.pk]))
    return render(request, "certification/start.html", {"form": form})


_FIELD_PREFIXES = ("v", "s", "f", "j", "e", "t", "n", "r")


def _inputs_from_post(request: HttpRequest, codes: list[str]) -> list[ClaimInput]:
    post = request.POST
    return [
        ClaimInput(
            indicator=code,
            value=post.get(f"v-{code}", ""),
            stage=post.get(f"s-{code}", ""),
            flag=post.get(f"f-{code}", ""),
            justification=post.get(f"j-{code}", ""),
            evidence_reference=post.get(f"e-{code}", ""),
            to_verify=post.get(f"t-{code}") == "on",
            not_applicable=post.get(f"n-{code}") == "on",
            not_applicable_reason=post.get(f"r-{code}", ""),
        )
        for code in codes
        if any(f"{p}-{code}" in post for p in _FIELD_PREFIXES)
    ]


def _typed(claim: Claim | None, posted: QueryDict | None, code: str) -> dict[str, object]:
    """What each field of an indicator's row shows: what was just sent (so a
    refused value stays in its field, marked), else what is saved."""
    if posted is not None:
        return {
            "value": posted.get(f"v-{code}", ""),
            "stage": posted.get(f"s-{code}", ""),
            "flag": posted.get(f"f-{code}", ""),
            "evidence": posted.get(f"e-{code}", ""),
            "justification": posted.get(f"j-{code}", ""),
            "to_verify": posted.get(f"t-{code}") == "on",
            "not_applicable": posted.get(f"n-{code}") == "on",
            "reason": posted.get(f"r-{code}", ""),
        }
    if claim is None:
        return {"value": "", "stage": "", "flag": "", "evidence": "", "justification": ""}
    flag = "" if claim.flag is None else ("yes" if claim.flag else "no")
    return {
        "value": "" if claim.value is None else f"{claim.value.normalize():f}",
        "stage": "" if claim.stage is None else str(claim.stage),
        "flag": flag,
        "evidence": claim.evidence_reference,
        "justification": claim.justification,
        "to_verify": claim.to_verify,
        "not_applicable": claim.not_applicable,
        "reason": claim.not_applicable_reason,
    }


def _sections(application: Application, posted: QueryDict | None = None) -> list[dict[str, object]]:
    framework = engine_framework(application.framework)
    claims = {c.indicator_code: c for c in application.claims.all()}
    denominator = denominator_of(application)
    sections = []
    for area in framework.areas:
        items = []
        for item in area.items:
            rows = []
            for i in item.indicators:
                claim = claims.get(i.code)
                rows.append(
                    {
                        "indicator": i,
                        "claim": claim,
                        "kind": indicator_kind(i),
                        "typed": _typed(claim, posted, i.code),
                        "percentage": is_percentage(i),
                        "per": getattr(i.rule, "per", ""),
                        "normalised": normalised_value(
                            i,
                            claim.value if claim else None,
                            population=denominator.population,
                            area_km2=denominator.area_km2,
                        ),
                    }
                )
            items.append({"item": item, "rows": rows})
        sections.append({"area": area, "items": items})
    return sections


@login_required
def edit(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    editable = can_edit_claims(request.user, application)
    errors: list[ClaimError] = []
    saved = False
    if request.method == "POST":
        if not editable:
            raise Http404
        framework = engine_framework(application.framework)
        codes = [i.code for a in framework.areas for it in a.items for i in it.indicators]
        user = request.user
        assert isinstance(user, User)
        errors = save_claims(
            actor=user, application=application, inputs=_inputs_from_post(request, codes)
        )
        area_error = _save_area(user, application, request.POST.get("area_km2"))
        if area_error:
            errors.append(area_error)
        saved = not errors
        application.refresh_from_db()
    result, problem = application_score_or_problem(application)
    by_code: dict[str, list[str]] = defaultdict(list)
    for e in errors:
        by_code[e.indicator].append(claim_error_message(e))
    return render(
        request,
        "certification/edit.html",
        {
            "application": application,
            "sections": _sections(application, request.POST if errors else None),
            "denominator": denominator_of(application),
            "area_typed": request.POST.get("area_km2") if errors else None,
            "result": result,
            "problem": problem,
            "editable": editable,
            "errors": dict(by_code),
            "error_count": len(errors),
            "saved": saved,
        },
        status=400 if errors else 200,
    )


def _save_area(user: User, application: Application, raw: str | None) -> ClaimError | None:
    if raw is None:
        return None
    text = raw.strip().replace(",", "")
    try:
        area = Decimal(text) if text else None
        set_area(actor=user, application=application, area_km2=area)
    except (ArithmeticError, ValueError):
        return ClaimError("area_km2", "value", "not_a_number" if text else "negative", raw)
    return None


@login_required
def preview(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """The provisional score of what is in the form now, without saving it."""
    application = access_application(request.user, application_id)
    if not can_edit_claims(request.user, application):
        raise Http404
    inputs = engine_inputs(application)
    codes = [i.code for a in inputs.framework.areas for it in a.items for i in it.indicators]
    checked, errors = check_claims(inputs.framework, _inputs_from_post(request, codes))
    area = request.POST.get("area_km2", "").strip().replace(",", "")
    if area:
        with contextlib.suppress(ArithmeticError):
            inputs = replace(inputs, context=replace(inputs.context, area_km2=Decimal(area)))
    observations = observations_from(checked, indicators_by_code(inputs.framework))
    problem = None
    try:
        result = score(inputs.framework, observations, (), context=inputs.context)
    except ScoringInputError as error:
        result, problem = None, score_problem(error)
    return render(
        request,
        "certification/partials/_score_summary.html",
        {"result": result, "problem": problem, "provisional": True, "error_count": len(errors)},
    )


@login_required
def explain_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    result, problem = application_score_or_problem(application)
    show_members = can_see_member_scores(request.user, application)
    rows = explain(application, result) if result is not None else []
    return render(
        request,
        "certification/explain.html",
        {
            "application": application,
            "result": result,
            "problem": problem,
            "rows": rows,
            "show_members": show_members,
            "can_score": can_score(request.user, application),
        },
    )


@login_required
def what_if_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    target = request.GET.get("target", "next_grade")
    if target not in {"next_grade", "certification"}:
        target = "next_grade"
    model = what_if_view_model(application, target)
    return render(
        request,
        "certification/what_if.html",
        {"application": application, "target": target, **model},
    )
