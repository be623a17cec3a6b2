"""Centre set-up: the camera register upload (run in the background, its
progress polled by htmx, its rejected rows downloadable as CSV) and the 119
layers (small files, imported at once)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.operations.access import access_admin_tenant, access_camera_import
from smartcity.operations.errors import StateConflict
from smartcity.operations.forms_setup import CameraUploadForm, LayerUploadForm
from smartcity.operations.messages import refusal_message, rejection_reason
from smartcity.operations.selectors.cameras import camera_stats
from smartcity.operations.selectors.setup import (
    REPORT_HEADER,
    camera_imports,
    layer_counts,
    rejection_report,
)
from smartcity.operations.services.camera_jobs import (
    import_status,
    retry_camera_import,
    start_camera_import,
)
from smartcity.operations.services.layers import import_layer

RECENT_IMPORTS = 20


@login_required
def setup_cameras(request: HttpRequest) -> HttpResponse:
    tenant = access_admin_tenant(request.user)
    form = CameraUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = start_camera_import(
            tenant=tenant, data=upload.read(), file_name=upload.name or "cctv.csv",
            actor=request.user,
        )  # fmt: skip
        return redirect("operations:setup_camera_import", batch.pk)
    imports = [(batch, import_status(batch)) for batch in camera_imports(tenant)[:RECENT_IMPORTS]]
    return render(
        request, "operations/setup/cameras.html",
        {"tenant": tenant, "form": form, "stats": camera_stats(tenant), "imports": imports},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
def setup_camera_import(request: HttpRequest, import_id: int) -> HttpResponse:
    """One import: its progress (the fragment alone for htmx) and its result."""
    batch = access_camera_import(request.user, import_id)
    status = import_status(batch)
    context = {
        "tenant": batch.tenant, "batch": batch, "status": status, "percent": status.percent,
        "reasons": [(code, rejection_reason(code), n) for code, n in sorted(batch.reasons.items())],
    }  # fmt: skip
    if getattr(request, "htmx", False):
        return render(request, "operations/setup/partials/_import_progress.html", context)
    return render(request, "operations/setup/camera_import.html", context)


@login_required
@require_POST
def setup_camera_import_retry(request: HttpRequest, import_id: int) -> HttpResponse:
    """Run an interrupted (or failed) upload again from the kept file."""
    batch = access_camera_import(request.user, import_id)
    try:
        again = retry_camera_import(batch=batch, actor=request.user)
    except StateConflict as exc:
        messages.error(request, refusal_message(exc.code))
        return redirect("operations:setup_camera_import", batch.pk)
    messages.success(request, _("같은 파일로 가져오기를 다시 시작했습니다."))
    return redirect("operations:setup_camera_import", again.pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def setup_camera_import_report(request: HttpRequest, import_id: int) -> StreamingHttpResponse:
    """The rejected rows as CSV (UTF-8 with BOM), formula-safe."""
    batch = access_camera_import(request.user, import_id)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(REPORT_HEADER)
        for row in rejection_report(batch):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cctv-rejected-{batch.tenant.code}-{batch.pk}.csv"'
    )
    return response


@login_required
def setup_layers(request: HttpRequest) -> HttpResponse:
    tenant = access_admin_tenant(request.user)
    form = LayerUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_layer(
            tenant=tenant, layer=form.cleaned_data["layer"], data=upload.read(),
            file_name=upload.name or "", actor=request.user,
        )  # fmt: skip
        report["reason_rows"] = [
            (code, rejection_reason(code), n) for code, n in report["reasons"].items()
        ]
        messages.success(
            request,
            _("%(accepted)s개 지점을 받고 %(rejected)s개 행을 거부했습니다.")
            % {"accepted": report["accepted"], "rejected": report["rejected"]},
        )
    return render(
        request, "operations/setup/layers.html",
        {"tenant": tenant, "form": form, "report": report, "layers": layer_counts(tenant)},
        status=422 if form.errors else 200,
    )  # fmt: skip
