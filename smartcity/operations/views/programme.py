"""The Ministry's upload of the platform programme's files (calls, applicants
and selections), with every rejected row named; all or nothing."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from smartcity.operations.access import can_import_programme
from smartcity.operations.forms import ProgrammeImportForm
from smartcity.operations.messages import programme_error_message
from smartcity.operations.services.programme import (
    import_programme_applicants,
    import_programmes,
)


def programme_import(request: HttpRequest) -> HttpResponse:
    if not can_import_programme(request.user):
        raise Http404
    form = ProgrammeImportForm(request.POST or None, request.FILES or None)
    result = None
    lines: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = import_programmes if form.cleaned_data["kind"] == "calls" else (
            import_programme_applicants
        )  # fmt: skip
        result = run(data=upload.read(), file_name=upload.name, actor=request.user)
        lines = [programme_error_message(e.row, e.field, e.code, e.params) for e in result.errors]
        status = 200 if result.ok else 400
    elif form.errors:
        status = 400
    return render(
        request,
        "operations/programme_import.html",
        {"form": form, "result": result, "error_messages": lines},
        status=status,
    )
