"""The operating body's desk (and the Ministry's view of it): every
application of one call, where it stands, and what can be done now."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.certification.access import access_call_for_oversight, actor_for
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.calls import Phase, phase_at
from smartcity.certification.domain.workflow import Action, Actor, Status
from smartcity.certification.forms import SupplementRequestForm
from smartcity.certification.models import Application, ApplicationVersion, Call, SupplementRequest
from smartcity.certification.services.calls import timeline_of
from smartcity.certification.services.workflow import (
    actions_in,
    situation_from,
    with_situation_facts,
)
from smartcity.certification.views_workflow import SIMPLE_ACTIONS, _user
from smartcity.municipalities.choices import SizeClass

PHASE_LABELS = {
    Phase.UPCOMING: _("공고 전"),
    Phase.ANNOUNCED: _("공고"),
    Phase.OPEN: _("접수 중"),
    Phase.DOCUMENT_CHECK: _("서류 검토"),
    Phase.WRITTEN_REVIEW: _("서면평가"),
    Phase.SITE_INSPECTION: _("현장실사"),
    Phase.DECISION: _("결과 보고·승인"),
    Phase.ANNOUNCED_RESULTS: _("결과 발표"),
}


def desk_applications(call: Call) -> list[Application]:
    """Every application of the call, loaded with what ``situation_from``
    reads and the latest version, in a fixed number of queries."""
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    return list(
        with_situation_facts(
            Application.objects.filter(call=call, kind=ApplicationKind.APPLICATION)
        )
        .select_related("organisation", "municipality")
        .annotate(
            version_number=Subquery(latest.values("number")[:1]),
            version_at=Subquery(latest.values("submitted_at")[:1]),
        )
        .order_by("organisation__name_ko", "pk")
    )


@dataclass(frozen=True)
class DeskRow:
    application: Application
    size_class: str
    open_request: SupplementRequest | None
    actions: list[str]
    simple_actions: list[str]
    can_request: bool


@login_required
def desk(request: HttpRequest, call_id: int) -> HttpResponse:
    """Every application of a call, where it stands, and what can be done now."""
    call = access_call_for_oversight(request.user, call_id)
    user = _user(request)
    now = timezone.now()
    phase = phase_at(timeline_of(call), now)
    rows = []
    for application in desk_applications(call):
        actor = actor_for(user, application)
        actions = (
            [] if actor is Actor.OTHER else actions_in(actor, situation_from(application, now=now))
        )
        open_requests: list[SupplementRequest] = getattr(application, "open_requests", [])
        rows.append(
            DeskRow(
                application=application,
                size_class=str(SizeClass(application.size_class).label)
                if application.size_class in SizeClass.values
                else "",
                open_request=open_requests[0]
                if application.status == Status.SUPPLEMENT_REQUESTED and open_requests
                else None,
                actions=[a.value for a in actions],
                simple_actions=[a.value for a in actions if a in SIMPLE_ACTIONS],
                can_request=Action.REQUEST_SUPPLEMENT in actions,
            )
        )
    return render(
        request,
        "certification/desk.html",
        {
            "call": call,
            "phase": phase.value,
            "phase_label": PHASE_LABELS.get(phase, phase.value),
            "rows": rows,
            "request_form": SupplementRequestForm(),
            "next": request.get_full_path(),
        },
    )
