from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from smartcity.accounts.access import (
    can_manage_people,
    can_manage_registry,
    can_view_audit_log,
    is_centre_admin,
    is_centre_staff,
    is_oversight,
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which of the role-bound links base.html shows in the menu."""
    user = request.user
    return {
        "nav_can_view_audit": can_view_audit_log(user),
        "nav_can_manage_registry": can_manage_registry(user),
        "nav_can_manage_calls": is_oversight(user),
        "nav_can_manage_people": can_manage_people(user),
        # A centre's operators and administrators see the centre's pages and
        # the public ones, not the certification applicant's menu.
        "nav_is_centre_staff": is_centre_staff(user),
        "nav_is_centre_admin": is_centre_admin(user),
    }
