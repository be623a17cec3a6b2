"""The registry's import page: the Ministry's decisions file, in two steps.

The upload is checked in full (a dry run of the import, rolled back) and the
page says what a real import would do: how many decisions it adds, how many
are already there. The file waits in the upload storage under its SHA-256
until the confirmation's button imports exactly that file; the staged copy
is removed after the import.
"""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.accounts.access import can_manage_registry
from smartcity.core.confirm import confirmation_page, is_confirmed
from smartcity.registry.forms import ImportDecisionsForm
from smartcity.registry.messages import describe_row_error
from smartcity.registry.services import import_decisions
from smartcity.registry.services.imports import ImportResult

_STAGING = "registry-import"
_TOKEN = re.compile(r"[0-9a-f]{64}")


def _stage(data: bytes) -> str:
    """Keep the checked file until it is confirmed; its name is its SHA-256."""
    token = hashlib.sha256(data).hexdigest()
    name = f"{_STAGING}/{token}.csv"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return token


def _staged(token: str) -> bytes | None:
    """The staged file of ``token``, if it is still there and unaltered."""
    if not _TOKEN.fullmatch(token):
        return None
    name = f"{_STAGING}/{token}.csv"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data if hashlib.sha256(data).hexdigest() == token else None


def _page(
    request: HttpRequest,
    form: ImportDecisionsForm,
    result: ImportResult | None = None,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    errors = [describe_row_error(e) for e in result.errors] if result else []
    return render(
        request,
        "registry/import.html",
        {"form": form, "result": result, "error_messages": errors, "error": error},
        status=status,
    )


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload, check and confirm a decisions file (the Ministry's registry managers)."""
    if not can_manage_registry(request.user):
        raise Http404
    if is_confirmed(request):
        return _confirmed_import(request)
    form = ImportDecisionsForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    file_name = upload.name or ""
    checked = import_decisions(data=data, file_name=file_name, actor=request.user, dry_run=True)
    if not checked.ok:
        return _page(request, form, checked, status=400)
    token = _stage(data)
    return confirmation_page(
        request,
        title=_("인증 결정 가져오기 확인"),
        consequences=[
            _(
                "인증 결정 %(created)s건을 인증 현황에 추가합니다"
                "(%(unchanged)s건은 이미 등록되어 있어 그대로 둡니다)."
            )
            % {"created": checked.created, "unchanged": checked.unchanged},
            _("추가한 결정으로 인증서와 유효기간을 다시 계산하고, 공개 인증 현황에 바로 보입니다."),
            _("가져온 결정은 지울 수 없고, 고치려면 새 결정을 가져와야 합니다."),
        ],
        facts=[
            (_("파일"), file_name),
            (_("SHA-256"), token),
        ],
        fields=[("token", token), ("file_name", file_name)],
        back_url=reverse("registry:import"),
        button=_("가져오기 확정"),
    )


def _confirmed_import(request: HttpRequest) -> HttpResponse:
    form = ImportDecisionsForm()
    token = request.POST.get("token", "")
    data = _staged(token)
    if data is None:
        message = _("확인한 파일을 찾을 수 없습니다. 파일을 다시 올리세요.")
        return _page(request, form, status=400, error=message)
    file_name = request.POST.get("file_name", "")[:255]
    result = import_decisions(data=data, file_name=file_name, actor=request.user)
    if result.ok:
        default_storage.delete(f"{_STAGING}/{token}.csv")
    return _page(request, form, result, status=200 if result.ok else 400)
