from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from smartcity.accounts.access import can_manage_registry, can_view_audit_log


def site(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav_can_view_audit": can_view_audit_log(user),
        "nav_can_manage_registry": can_manage_registry(user),
        # The Content-Security-Policy nonce (core.middleware): <script nonce="{{ csp_nonce }}">.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
