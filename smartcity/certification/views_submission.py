"""Calls, documents and submission pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.accounts.models import User
from smartcity.certification.access import (
    access_application,
    access_call_public,
    can_edit_claims,
    track_to_start,
)
from smartcity.certification.choices import ApplicationKind, CallStatus
from smartcity.certification.confirmations import confirm_document_withdrawal
from smartcity.certification.domain.calls import accepts_submissions, phase_at
from smartcity.certification.messages import refusal_message
from smartcity.certification.models import Application, Attachment, Call
from smartcity.certification.selectors import required_documents_of
from smartcity.certification.services import (
    SubmissionRefused,
    apply_to_call,
    replace_attachment,
    start_application,
    upload_attachment,
    withdraw_attachment,
)
from smartcity.certification.services.calls import timeline_of
from smartcity.core.confirm import is_confirmed
from smartcity.core.domain.spreadsheet import control_characters


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("서류 종류"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=gettext_lazy("파일"))


def call_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    published = Call.objects.filter(status=CallStatus.PUBLISHED).select_related("framework")
    calls = [(c, phase_at(timeline_of(c), now)) for c in published]
    return render(request, "certification/calls.html", {"calls": calls, "now": now})


@login_required
def apply(request: HttpRequest, application_id: int, call_id: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    application = access_application(request.user, application_id)
    call = get_object_or_404(Call, pk=call_id)
    user = request.user
    assert isinstance(user, User)
    try:
        apply_to_call(actor=user, application=application, call=call)
    except PermissionDenied as exc:
        raise Http404 from exc
    except SubmissionRefused as refused:
        return _documents(request, application.pk, error=refusal_message(refused.code))
    return redirect(reverse("certification:documents", args=[application.pk]))


def _documents(
    request: HttpRequest, application_id: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    application = access_application(request.user, application_id)
    open_calls = []
    now = timezone.now()
    if application.kind == "self_assessment":
        open_calls = [
            c
            for c in Call.objects.filter(
                framework=application.framework, status=CallStatus.PUBLISHED
            )
            if phase_at(timeline_of(c), now) == "open"
        ]
    return render(
        request,
        "certification/documents.html",
        {
            "application": application,
            "attachments": application.attachments.order_by("kind", "uploaded_at"),
            "versions": application.versions.order_by("-number"),
            "form": UploadForm(initial={"kind": request.GET.get("kind", "")}),
            "editable": can_edit_claims(request.user, application),
            "changeable": application.status == "draft" and not application.versions.exists(),
            "required": required_documents_of(application),
            "open_calls": open_calls,
            "error": error,
        },
        status=400 if error else status,
    )


@login_required
def documents(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    if request.method != "POST":
        return _documents(request, application_id)
    user = request.user
    assert isinstance(user, User)
    action = request.POST.get("action", "upload")
    try:
        if action == "upload":
            form = UploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return _documents(request, application_id, error=_("파일과 서류 종류를 고르세요."))
            upload = form.cleaned_data["file"]
            upload_attachment(
                actor=user,
                application=application,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                data=upload,
            )
            message = _("서류를 올렸습니다.")
        elif action in ("replace", "withdraw"):
            item = _attachment_of(application, request.POST.get("attachment", ""))
            if action == "withdraw" and not is_confirmed(request):
                if not _changeable(user, application):
                    raise Http404  # as the service would refuse: nothing to confirm
                back = reverse("certification:documents", args=[application_id])
                return confirm_document_withdrawal(request, application, item, back_url=back)
            if action == "withdraw":
                withdraw_attachment(actor=user, application=application, attachment=item)
                message = _("서류를 철회했습니다: %(name)s") % {"name": item.original_name}
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    return _documents(request, application_id, error=_("바꿀 파일을 고르세요."))
                replace_attachment(
                    actor=user,
                    application=application,
                    attachment=item,
                    name=upload.name or "",
                    data=upload,
                )
                message = _("서류를 바꿨습니다: %(name)s") % {"name": item.original_name}
        else:
            raise Http404
    except PermissionDenied as exc:
        raise Http404 from exc
    except SubmissionRefused as refused:
        return _documents(request, application_id, error=refusal_message(refused.code))
    messages.success(request, message, fail_silently=True)
    return redirect(reverse("certification:documents", args=[application_id]))


def _changeable(user: User, application: Application) -> bool:
    """Whether the page offers 바꾸기/철회: an editable draft never submitted."""
    return (
        can_edit_claims(user, application)
        and application.status == "draft"
        and not application.versions.exists()
    )


def _attachment_of(application: Application, raw: str) -> Attachment:
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Attachment, pk=int(raw), application=application)


@login_required
def attachment(request: HttpRequest, application_id: int, attachment_id: int) -> FileResponse:
    """A document, only ever through the application's access check."""
    application = access_application(request.user, application_id)
    item = get_object_or_404(Attachment, pk=attachment_id, application=application)
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the call page's Apply button ---------------------------------------------


class ApplyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("신청서 제목"), max_length=200)
    service_name = forms.CharField(label=gettext_lazy("서비스명"), max_length=200, required=False)

    def __init__(self, *args: Any, track: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if track != "service":
            del self.fields["service_name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("title", "service_name"):
            if control_characters(data.get(name, "")):
                self.add_error(name, _("쓸 수 없는 제어 문자가 있습니다."))
        if "service_name" in self.fields and not data.get("service_name"):
            self.add_error("service_name", _("서비스 인증은 서비스명이 필요합니다."))
        return data


@login_required
def apply_to(request: HttpRequest, call_id: int) -> HttpResponse:
    """Start this call's application: a new form, or a self-assessment of the
    same framework turned into the application. Applicants of the call's
    track only; the service decides on the server's clock."""
    call = access_call_public(request.user, call_id)
    user = request.user
    assert isinstance(user, User)
    ours = Application.objects.filter(organisation_id=user.organisation_id or 0)
    existing = ours.filter(call=call, kind=ApplicationKind.APPLICATION).first()
    if existing is not None:
        messages.info(request, refusal_message("already_applied"))
        return redirect(reverse("certification:edit", args=[existing.pk]))
    eligible = user.organisation_id is not None and track_to_start(user) == call.track
    accepting = call.status == CallStatus.PUBLISHED and accepts_submissions(
        timeline_of(call), timezone.now()
    )
    drafts = ours.filter(kind=ApplicationKind.SELF_ASSESSMENT, framework=call.framework).order_by(
        "-updated_at"
    )
    form = ApplyForm(request.POST or None, track=call.track, initial={"title": call.title_ko})
    error = ""
    if request.method == "POST" and eligible and accepting:
        try:
            if request.POST.get("action") == "convert":
                raw = request.POST.get("application", "")
                if not raw.isdigit() or not drafts.filter(pk=int(raw)).exists():
                    raise Http404
                application = apply_to_call(
                    actor=user, application=access_application(user, int(raw)), call=call
                )
            elif form.is_valid():
                application = start_application(
                    actor=user,
                    call=call,
                    title=form.cleaned_data["title"],
                    service_name=form.cleaned_data.get("service_name", ""),
                )
            else:
                application = None
        except PermissionDenied as exc:
            raise Http404 from exc
        except SubmissionRefused as refused:
            error, application = refusal_message(refused.code), None
        if application is not None:
            messages.success(
                request, _("공모에 신청서를 만들었습니다. 지표와 서류를 채운 뒤 제출하세요.")
            )
            return redirect(reverse("certification:edit", args=[application.pk]))
    elif request.method == "POST":
        error = (
            refusal_message("call_not_open")
            if eligible
            else _("이 공모에 신청할 수 없는 계정입니다.")
        )
    return render(
        request,
        "certification/call_apply.html",
        {
            "call": call,
            "form": form,
            "drafts": drafts if eligible else [],
            "eligible": eligible,
            "accepting": accepting,
            "error": error,
        },
        status=400 if request.method == "POST" else 200 if eligible else 403,
    )
