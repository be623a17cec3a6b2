"""Who may see drafts and import frameworks: the Ministry and the operating bodies."""

from __future__ import annotations

from django.http import Http404

from smartcity.accounts.access import AnyUser, is_oversight
from smartcity.frameworks.choices import FrameworkStatus
from smartcity.frameworks.models import FrameworkVersion


def can_manage_frameworks(user: AnyUser) -> bool:
    return is_oversight(user)


def access_framework(user: AnyUser, code: str) -> FrameworkVersion:
    """Published frameworks are public; drafts only for those who manage them."""
    framework = FrameworkVersion.objects.filter(code=code).first()
    if framework is None:
        raise Http404
    if framework.status != FrameworkStatus.PUBLISHED and not can_manage_frameworks(user):
        raise Http404
    return framework
