from __future__ import annotations

import math

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.access import access_organisation
from smartcity.accounts.forms import SignInForm
from smartcity.accounts.services import attempt_sign_in
from smartcity.core.services import record_audit


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    retry_after = 0
    if request.method == "POST" and form.is_valid():
        result = attempt_sign_in(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            # The client's address; behind a proxy, uvicorn --proxy-headers
            # (trusting only that proxy) puts the real client here.
            address=request.META.get("REMOTE_ADDR", ""),
        )
        if result.user is not None:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(next_url)
            return redirect("core:home")
        status = 400
        if result.reason == "address_locked":
            form.add_error(
                None,
                _(
                    "이 주소에서 로그인 실패가 너무 많습니다. 잠시 후 다시 시도하거나 "
                    "관리자에게 문의하세요."
                ),
            )
            status = 429
        elif result.locked:
            form.add_error(
                None,
                _(
                    "로그인 실패가 반복되어 계정이 잠시 잠겼습니다. 잠시 후 다시 시도하거나 "
                    "관리자에게 문의하세요."
                ),
            )
        else:
            form.add_error(None, _("아이디 또는 비밀번호가 올바르지 않습니다."))
        if result.locked_until is not None:
            retry_after = max(1, math.ceil((result.locked_until - timezone.now()).total_seconds()))
    response = render(
        request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status
    )
    if status == 429:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_audit(actor=request.user, action="accounts.signed_out")
    logout(request)
    return redirect("core:home")


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {})


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_organisation(request.user, organisation_id)
    members = organisation.members.order_by("username")
    return render(
        request,
        "accounts/organisation.html",
        {"organisation": organisation, "members": members},
    )
