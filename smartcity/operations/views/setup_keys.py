"""The centre set-up area (centre administrators only): the overview and the
sending systems with their API keys.

A key is shown once, in the answer to the POST that issued or rotated it
(``Cache-Control: no-store``), never stored or shown again; only its prefix
and hash are kept. Revoking asks for a confirmation first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from smartcity.operations.access import access_admin_tenant, access_intake_client
from smartcity.operations.errors import StateConflict
from smartcity.operations.forms_setup import IntakeClientForm
from smartcity.operations.messages import refusal_message
from smartcity.operations.models import IntakeClient, Tenant
from smartcity.operations.selectors.cameras import camera_stats
from smartcity.operations.selectors.setup import centre_agencies, intake_clients, layer_counts
from smartcity.operations.services.tenancy import (
    issue_intake_client,
    revoke_intake_client,
    rotate_intake_client,
)


@login_required
def setup_home(request: HttpRequest) -> HttpResponse:
    tenant = access_admin_tenant(request.user)
    return render(
        request,
        "operations/setup/home.html",
        {
            "tenant": tenant, "current": "setup",
            "clients": intake_clients(tenant).filter(is_active=True).count(),
            "agencies": centre_agencies(tenant)
            .filter(stopped_at__isnull=True, agency__is_active=True)
            .count(),
            "cameras": camera_stats(tenant)["sites"],
            "layers": sum(n for _code, _label, n in layer_counts(tenant)),
        },
    )  # fmt: skip


def _keys_page(
    request: HttpRequest, tenant: Tenant, form: IntakeClientForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "operations/setup/keys.html",
        {"tenant": tenant, "current": "setup", "form": form, "clients": intake_clients(tenant)},
        status=status,
    )  # fmt: skip


@never_cache
@login_required
def setup_keys(request: HttpRequest) -> HttpResponse:
    tenant = access_admin_tenant(request.user)
    if request.method != "POST":
        return _keys_page(request, tenant, IntakeClientForm())
    form = IntakeClientForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, tenant, form, status=422)
    client, raw = issue_intake_client(
        tenant=tenant, name=form.cleaned_data["name"], source=form.cleaned_data["source"],
        actor=request.user,
    )  # fmt: skip
    return _shown_once(request, tenant, client, raw, rotated=False)


def _shown_once(
    request: HttpRequest, tenant: Tenant, client: IntakeClient, raw: str, *, rotated: bool
) -> HttpResponse:
    return render(
        request, "operations/setup/key_issued.html",
        {"tenant": tenant, "current": "setup", "client": client, "api_key": raw,
         "rotated": rotated},
    )  # fmt: skip


@never_cache
@login_required
def setup_key_rotate(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_intake_client(request.user, client_id)
    tenant = client.tenant
    if request.method != "POST":
        return render(
            request, "operations/setup/key_confirm.html",
            {"tenant": tenant, "current": "setup", "client": client, "action": "rotate"},
        )  # fmt: skip
    try:
        client, raw = rotate_intake_client(client=client, actor=request.user)
    except StateConflict as exc:
        messages.error(request, refusal_message(exc.code))
        return redirect("operations:setup_keys")
    return _shown_once(request, tenant, client, raw, rotated=True)


@login_required
def setup_key_revoke(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_intake_client(request.user, client_id)
    if request.method != "POST":
        return render(
            request, "operations/setup/key_confirm.html",
            {"tenant": client.tenant, "current": "setup", "client": client, "action": "revoke"},
        )  # fmt: skip
    revoke_intake_client(client=client, actor=request.user)
    messages.success(
        request,
        _("%(name)s의 키를 폐기했습니다. 이 키로 보낸 요청은 이제 거부됩니다.")
        % {"name": client.name},
    )
    return redirect("operations:setup_keys")
