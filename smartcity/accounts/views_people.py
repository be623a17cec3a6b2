"""The people pages: organisations and accounts, for the Ministry and each
operating body within its own track (``accounts.access.manager_of``).
Anyone else gets a 404, like a page that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts import selectors
from smartcity.accounts.access import (
    access_account_for_management,
    access_invitation_for_management,
    managed_organisations,
    manager_of,
)
from smartcity.accounts.domain.people import Manager
from smartcity.accounts.forms import InviteForm, OrganisationForm, RoleForm
from smartcity.accounts.messages import people_refusal_message
from smartcity.accounts.models import Invitation, User
from smartcity.accounts.services import (
    PeopleRefused,
    cancel_invitation,
    change_role,
    deactivate_account,
    invite_person,
    reactivate_account,
    register_organisation,
    reinvite_account,
    resend_invitation,
)


def _manager(request: HttpRequest) -> tuple[User, Manager]:
    user = request.user
    manager = manager_of(user)
    if manager is None or not isinstance(user, User):
        raise Http404
    return user, manager


@login_required
def people(request: HttpRequest) -> HttpResponse:
    user = _manager(request)[0]
    return render(
        request,
        "accounts/people.html",
        {
            "organisations": selectors.organisations_for(user),
            "accounts": selectors.accounts_for(user),
            "invitations": selectors.open_invitations_for(user),
        },
    )


@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    user, manager = _manager(request)
    form = OrganisationForm(request.POST or None, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = register_organisation(
                actor=user,
                name_ko=form.cleaned_data["name_ko"],
                name_en=form.cleaned_data["name_en"],
                kind=form.cleaned_data["kind"],
                steward_track=form.cleaned_data["steward_track"] or "",
                municipality_id=form.cleaned_data["municipality_id"],
            )
        except PeopleRefused as refused:
            form.add_error(None, people_refusal_message(refused.code))
        else:
            messages.success(
                request, _("기관 '%(name)s'을(를) 등록했습니다.") % {"name": organisation.name_ko}
            )
            return redirect("accounts:people")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/organisation_new.html", {"form": form}, status=status)


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    user, manager = _manager(request)
    organisations = managed_organisations(user).order_by("name_ko")
    initial = {}
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    form = InviteForm(
        request.POST or None, initial=initial, manager=manager, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_person(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
            )
        except PeopleRefused as refused:
            field = {"username_taken": "username", "email_in_use": "email"}.get(refused.code)
            form.add_error(field, people_refusal_message(refused.code))
        else:
            _say_how_the_mail_went(
                request, invitation, _("%(email)s 주소로 초대 전자우편을 보냈습니다.")
            )
            return redirect("accounts:account", account_id=invitation.user_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invite.html", {"form": form}, status=status)


def _account_page(
    request: HttpRequest,
    account: User,
    manager: Manager,
    *,
    role_form: RoleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "account": account,
            "is_self": account.pk == request.user.pk,
            "role_form": role_form or RoleForm(manager=manager, initial={"role": account.role}),
            "invitations": account.invitations.select_related("invited_by"),
            "open_invitation": account.invitations.filter(
                accepted_at__isnull=True, cancelled_at__isnull=True
            ).exists(),
        },
        status=status,
    )


@login_required
def account(request: HttpRequest, account_id: int) -> HttpResponse:
    _user, manager = _manager(request)
    return _account_page(request, access_account_for_management(request.user, account_id), manager)


@login_required
@require_POST
def account_role(request: HttpRequest, account_id: int) -> HttpResponse:
    user, manager = _manager(request)
    target = access_account_for_management(user, account_id)
    form = RoleForm(request.POST, manager=manager)
    if form.is_valid():
        try:
            change_role(actor=user, account=target, role=form.cleaned_data["role"])
        except PeopleRefused as refused:
            form.add_error("role", people_refusal_message(refused.code))
        else:
            messages.success(request, _("역할을 바꾸었습니다."))
            return redirect("accounts:account", account_id=target.pk)
    return _account_page(request, target, manager, role_form=form, status=400)


@login_required
def account_deactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deactivates."""
    user = _manager(request)[0]
    target = access_account_for_management(user, account_id)
    if request.method == "POST":
        try:
            deactivate_account(actor=user, account=target)
        except PeopleRefused as refused:
            messages.error(request, people_refusal_message(refused.code))
        else:
            messages.success(request, _("계정 %(name)s을(를) 비활성화했습니다.") % {"name": target})
        return redirect("accounts:account", account_id=target.pk)
    return render(
        request,
        "accounts/confirm.html",
        {
            "title": _("계정 비활성화 확인"),
            "question": _(
                "%(name)s 계정을 비활성화할까요? 이 사람은 더 이상 로그인할 수 없고, "
                "보내 둔 초대 링크도 쓸 수 없게 됩니다. 기록은 그대로 남습니다."
            )
            % {"name": target},
            "button": _("비활성화"),
            "back": target,
        },
    )


def _say_how_the_mail_went(request: HttpRequest, invitation: Invitation, sent: str) -> None:
    """The e-mail goes out after commit; say whether the mail server took it."""
    invitation.refresh_from_db(fields=["mail_failed_at"])
    if invitation.mail_failed_at is None:
        messages.success(request, sent % {"email": invitation.user.email})
    else:
        messages.warning(
            request,
            _(
                "초대는 만들었지만 %(email)s 주소로 전자우편을 보내지 못했습니다(메일 서버 "
                "오류). 메일 서버 설정을 확인한 뒤 '다시 보내기'를 누르세요."
            )
            % {"email": invitation.user.email},
        )


@login_required
@require_POST
def account_reactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    """Activate again; an account that never set a password gets a new
    invitation instead, and becomes active when it is accepted."""
    user = _manager(request)[0]
    target = access_account_for_management(user, account_id)
    if not target.has_usable_password():
        try:
            invitation = reinvite_account(actor=user, account=target)
        except PeopleRefused as refused:
            messages.error(request, people_refusal_message(refused.code))
        else:
            _say_how_the_mail_went(
                request,
                invitation,
                _(
                    "이 계정은 아직 비밀번호가 없어 %(email)s 주소로 새 초대를 보냈습니다. "
                    "초대를 수락하면 활성화됩니다."
                ),
            )
        return redirect("accounts:account", account_id=target.pk)
    try:
        reactivate_account(actor=user, account=target)
    except PeopleRefused as refused:
        messages.error(request, people_refusal_message(refused.code))
    else:
        messages.success(request, _("계정 %(name)s을(를) 다시 활성화했습니다.") % {"name": target})
    return redirect("accounts:account", account_id=target.pk)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user = _manager(request)[0]
    invitation = access_invitation_for_management(user, invitation_id)
    try:
        resend_invitation(actor=user, invitation=invitation)
    except PeopleRefused as refused:
        messages.error(request, people_refusal_message(refused.code))
    else:
        _say_how_the_mail_went(
            request,
            invitation,
            _("초대를 다시 보냈습니다. 먼저 보낸 링크는 더 이상 쓸 수 없습니다."),
        )
    return redirect("accounts:account", account_id=invitation.user_id)


@login_required
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """GET asks for confirmation; POST cancels."""
    user = _manager(request)[0]
    invitation = access_invitation_for_management(user, invitation_id)
    if request.method == "POST":
        try:
            cancel_invitation(actor=user, invitation=invitation)
        except PeopleRefused as refused:
            messages.error(request, people_refusal_message(refused.code))
        else:
            messages.success(request, _("초대를 취소했습니다."))
        return redirect("accounts:account", account_id=invitation.user_id)
    return render(
        request,
        "accounts/confirm.html",
        {
            "title": _("초대 취소"),
            "question": _(
                "%(email)s 주소로 보낸 초대를 취소할까요? 보낸 링크는 더 이상 쓸 수 없습니다."
            )
            % {"email": invitation.user.email},
            "button": _("초대 취소"),
            "back": invitation.user,
        },
    )
