"""Calls (공모): the oversight's pages to list, create, edit and open them,
and the public call page with its Apply button.

The Ministry manages calls of both tracks, an operating body those of its
own track (``accounts.access.oversees``); anyone else gets a 404. A draft's
public page is a preview for the oversight and a 404 for everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.accounts.access import tracks_overseen
from smartcity.certification.access import (
    access_call_for_oversight,
    access_call_public,
    can_open_call,
)
from smartcity.certification.choices import CallStatus
from smartcity.certification.domain.calls import Phase, phase_at
from smartcity.certification.forms_calls import CallForm, initial_for
from smartcity.certification.messages import call_problem_message
from smartcity.certification.models import Attachment, Call
from smartcity.certification.services.calls import (
    details_of,
    draft_call,
    publish_call,
    timeline_of,
    update_call,
)
from smartcity.certification.views_workflow import _user
from smartcity.frameworks.choices import FrameworkKind
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import published_frameworks


@dataclass(frozen=True)
class Milestone:
    """One line of a call's schedule: a phase and when it runs."""

    key: str
    label: str
    starts: object
    ends: object = None
    current: bool = False


def schedule_of(call: Call, phase: Phase) -> list[Milestone]:
    """The call's phases in order, with the one the server's clock is in."""
    rows = [
        ("notice", _("공고"), call.announced_at, None, Phase.ANNOUNCED),
        (
            "submission",
            _("접수(초 단위 마감)"),
            call.submission_opens_at,
            call.submission_closes_at,
            Phase.OPEN,
        ),
        (
            "completeness",
            _("서류 검토(요건·완결성 확인, 소명·보완)"),
            call.submission_closes_at,
            call.written_review_starts_at,
            Phase.DOCUMENT_CHECK,
        ),
        (
            "written_review",
            _("서면평가"),
            call.written_review_starts_at,
            call.site_inspection_starts_at,
            Phase.WRITTEN_REVIEW,
        ),
        (
            "site_inspection",
            _("현장실사"),
            call.site_inspection_starts_at,
            call.decision_starts_at,
            Phase.SITE_INSPECTION,
        ),
        ("report", _("결과 보고·국토교통부 승인"), call.decision_starts_at, None, Phase.DECISION),
    ]
    milestones = [
        Milestone(key, str(label), starts, ends, current=phase is own)
        for key, label, starts, ends, own in rows
    ]
    if call.approval_due_at is not None:
        milestones.append(Milestone("approval_due", _("승인 기한"), call.approval_due_at))
    milestones.append(
        Milestone(
            "announcement",
            _("결과 발표"),
            call.results_announced_at,
            current=phase is Phase.ANNOUNCED_RESULTS,
        )
    )
    return milestones


def _documents(call: Call) -> list[str]:
    labels = dict(Attachment.Kind.choices)
    return [str(labels.get(kind, kind)) for kind in call.required_documents]


def _frameworks(track: str) -> QuerySet[FrameworkVersion]:
    return published_frameworks().filter(kind=track).order_by("-year", "code")


# --- the oversight's pages ---------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Every call of the tracks the user oversees, drafts included."""
    tracks = tracks_overseen(request.user)
    if not tracks:
        raise Http404
    now = timezone.now()
    calls = Call.objects.filter(track__in=tracks).select_related("framework")
    rows = [(c, phase_at(timeline_of(c), now).value) for c in calls.order_by("-year", "-pk")]
    labels = dict(FrameworkKind.choices)
    return render(
        request,
        "certification/calls_manage.html",
        {"rows": rows, "tracks": [(t, labels[t]) for t in tracks]},
    )


def _form_page(
    request: HttpRequest, form: CallForm, *, track: str, call: Call | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "certification/call_form.html",
        {"form": form, "track": track, "track_label": dict(FrameworkKind.choices)[track],
         "call": call},
        status=status,
    )  # fmt: skip


@login_required
def create(request: HttpRequest, track: str) -> HttpResponse:
    if track not in FrameworkKind.values or not can_open_call(request.user, track):
        raise Http404
    frameworks = _frameworks(track)
    year = timezone.localdate().year
    form = CallForm(
        request.POST or None,
        track=track,
        frameworks=frameworks,
        initial=initial_for(track, frameworks, year),
    )
    if request.method != "POST":
        return _form_page(request, form, track=track, call=None)
    if form.is_valid():
        try:
            call = draft_call(actor=_user(request), details=form.details())
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as refused:
            form.add_problems(refused.message_dict)
        else:
            messages.success(
                request,
                _("공모를 초안으로 저장했습니다. 공고하기 전까지는 공개되지 않습니다."),
            )
            return redirect(reverse("certification:call", args=[call.pk]))
    return _form_page(request, form, track=track, call=None, status=400)


@login_required
def edit(request: HttpRequest, call_id: int) -> HttpResponse:
    call = access_call_for_oversight(request.user, call_id)
    published = call.status == CallStatus.PUBLISHED
    details = details_of(call)
    initial = {
        **details.dates,
        "framework": call.framework,
        "year": call.year,
        "title_ko": call.title_ko,
        "title_en": call.title_en,
        "field": call.field,
        "notice": call.notice,
        "size_class_rule": call.size_class_rule,
        "population_reference_date": call.population_reference_date,
        "required_documents": details.required_documents,
    }
    form = CallForm(
        request.POST or None,
        track=call.track,
        frameworks=_frameworks(call.track),
        published=published,
        initial=initial,
    )
    if request.method != "POST":
        return _form_page(request, form, track=call.track, call=call)
    if form.is_valid():
        try:
            result = update_call(
                actor=_user(request),
                call=call,
                details=form.details(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as refused:
            form.add_problems(refused.message_dict)
        else:
            if not result.changes:
                messages.info(request, _("바뀐 내용이 없습니다."))
            elif result.notified:
                messages.success(
                    request,
                    _("공모를 고쳤습니다. 일정 변경을 %(n)s명에게 알렸습니다.")
                    % {"n": result.notified},
                )
            else:
                messages.success(request, _("공모를 고쳤습니다. 변경 내용은 감사 기록에 남습니다."))
            return redirect(reverse("certification:call", args=[call.pk]))
    return _form_page(request, form, track=call.track, call=call, status=400)


@login_required
def publish(request: HttpRequest, call_id: int) -> HttpResponse:
    """The confirmation before a call is opened to the public, then opening it."""
    call = access_call_for_oversight(request.user, call_id)
    if call.status == CallStatus.PUBLISHED:
        messages.info(request, call_problem_message("already_published"))
        return redirect(reverse("certification:call", args=[call.pk]))
    error = ""
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            publish_call(actor=_user(request), call=call)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as refused:
            error = " ".join(
                call_problem_message(code) for codes in refused.message_dict.values()
                for code in codes
            )  # fmt: skip
        else:
            messages.success(
                request,
                _("공모를 공고했습니다. 이제 누구나 공고 페이지를 보고 신청할 수 있습니다."),
            )
            return redirect(reverse("certification:call", args=[call.pk]))
    phase = phase_at(timeline_of(call), timezone.now())
    return render(
        request,
        "certification/call_publish.html",
        {
            "call": call,
            "schedule": schedule_of(call, phase),
            "documents": _documents(call),
            "error": error,
        },
        status=400 if error else 200,
    )


# --- the public page ---------------------------------------------------------


def public(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call as anyone sees it: the notice, the schedule in KST, the
    documents, who may apply, and the Apply button while submissions are open."""
    call = access_call_public(request.user, call_id)
    phase = phase_at(timeline_of(call), timezone.now())
    return render(
        request,
        "certification/call.html",
        {
            "call": call,
            "phase": phase.value,
            "schedule": schedule_of(call, phase),
            "documents": _documents(call),
            "is_city": call.track == FrameworkKind.CITY,
            "manages": can_open_call(request.user, call.track),
            "draft": call.status != CallStatus.PUBLISHED,
            "accepting": phase is Phase.OPEN and call.status == CallStatus.PUBLISHED,
        },
    )
