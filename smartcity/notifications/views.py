"""The inbox: a person's own notices, newest first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.models import User
from smartcity.notifications.selectors import notifications_for
from smartcity.notifications.services import mark_read

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(notifications_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    shown = [(n, *n.in_language(language)) for n in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "shown": shown})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = mark_read(actor=_user(request))
    if count:
        messages.success(request, _("알림 %(n)s건을 읽음으로 표시했습니다.") % {"n": count})
    return redirect("notifications:inbox")
