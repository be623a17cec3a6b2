"""The incident page's situation sections: sharing a disaster area's
cameras with a disaster room, and a vulnerable person's guardian contact."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartcity.operations.access import access_carrier_photo, access_incident
from smartcity.operations.domain.carrier import mask_phone
from smartcity.operations.errors import StateConflict, VideoRefused
from smartcity.operations.forms_situations import DisasterAreaForm
from smartcity.operations.messages import video_refusal_message
from smartcity.operations.models import Incident
from smartcity.operations.selectors.linkage import linked_agencies
from smartcity.operations.selectors.situations import (
    cameras_near_trail,
    carrier_case,
    incident_areas,
    trail_of,
)
from smartcity.operations.services.carrier_photos import photo_path
from smartcity.operations.services.disaster import share_disaster_area
from smartcity.operations.services.situations import (
    record_carrier_photo_refused,
    record_carrier_photo_viewed,
    reveal_guardian_contact,
)

DISASTER_SENDERS = frozenset({"disaster", "weather"})


def _disaster_rooms(incident: Incident) -> Any:
    return linked_agencies(incident.tenant).filter(kind="disaster_room")


def situation_context(incident: Incident) -> dict[str, Any]:
    """The incident page's disaster-area and vulnerable-person sections."""
    context: dict[str, Any] = {"is_disaster": incident.sender in DISASTER_SENDERS}
    if context["is_disaster"]:
        context["disaster_areas"] = incident_areas(incident)
        context["disaster_form"] = DisasterAreaForm(
            agencies=_disaster_rooms(incident),
            initial={"centre_lat": float(incident.latitude),
                     "centre_lon": float(incident.longitude)},
        )  # fmt: skip
    case = carrier_case(incident)
    context["carrier_case"] = case
    if case is not None:
        context["carrier_trail"] = trail_of(case)
        context["carrier_cameras"] = cameras_near_trail(incident, case)
        context["carrier_alerts"] = case.alerts.select_related("agency").order_by("sent_at")
        context["guardian_phone_masked"] = mask_phone(case.guardian_phone)
    return context


@login_required
@require_POST
@never_cache
def incident_guardian_contact(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Reveal a vulnerable person's guardian contact (audited); htmx swaps it
    into the page, a plain form post gets a small page of its own."""
    incident = access_incident(request.user, incident_id)
    try:
        case = reveal_guardian_contact(
            tenant=incident.tenant, incident_id=incident.pk, actor=request.user
        )
    except StateConflict:
        return HttpResponse(_("보호자 연락처가 없거나 이미 삭제되었습니다."), status=404)
    template = (
        "operations/partials/_guardian_contact.html"
        if getattr(request, "htmx", False)
        else "operations/guardian_contact.html"
    )
    return render(request, template, {"incident": incident, "carrier_case": case})


@login_required
@require_POST
def incident_disaster_area(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Share every camera in an area (or a warning's area) with a disaster room."""
    incident = access_incident(request.user, incident_id)
    form = DisasterAreaForm(request.POST, agencies=_disaster_rooms(incident))
    target = reverse("operations:incident", args=[incident.pk]) + "#disaster-area-heading"
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()]
        for error in errors or [_("재난안전상황실과 영역을 확인하세요.")]:
            messages.error(request, error)
        return redirect(target)
    try:
        area = share_disaster_area(
            tenant=incident.tenant, incident_id=incident.pk,
            agency_id=form.cleaned_data["agency"].pk, area=form.area,
            warning=form.cleaned_data["warning"], actor=request.user,
        )  # fmt: skip
    except (VideoRefused, StateConflict) as exc:
        if exc.code == "no_cameras":
            messages.error(request, _("영역 안에 이 센터의 CCTV가 없습니다."))
        else:
            messages.error(request, video_refusal_message(exc.code))
        return redirect(target)
    messages.success(
        request,
        _("영역 안의 CCTV %(count)s대의 영상을 %(agency)s에 제공했습니다.")
        % {"count": area.camera_count, "agency": form.cleaned_data["agency"].name_ko},
    )
    return redirect(target)


@login_required
@never_cache
def carrier_photo(request: HttpRequest, incident_id: int) -> FileResponse:
    """A vulnerable person's photo, only while the case lives
    (``access_carrier_photo``: the centre and the alerted agencies). Every
    view and every refusal is on the audit log."""
    try:
        case = access_carrier_photo(request.user, incident_id)
    except Http404:
        record_carrier_photo_refused(incident_id=incident_id, actor=request.user)
        raise
    path = photo_path(case.photo_file)
    try:
        photo = path.open("rb") if path is not None else None
    except OSError:
        photo = None
    if path is None or photo is None:
        raise Http404
    record_carrier_photo_viewed(case=case, actor=request.user)
    kind = "image/png" if path.suffix == ".png" else "image/jpeg"
    response = FileResponse(photo, content_type=kind)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response
