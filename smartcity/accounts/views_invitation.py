"""The pages a link in an e-mail opens: accepting an invitation (setting the
password), and Django's own password-reset pages in the site's layout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from smartcity.accounts.access import access_invitation_by_link
from smartcity.accounts.forms import AuditedSetPasswordForm
from smartcity.accounts.messages import people_refusal_message
from smartcity.accounts.services import PeopleRefused, accept_invitation, invitation_refusal


def accept(request: HttpRequest, invitation_id: int, token: str) -> HttpResponse:
    """Set a password and activate the account, once, while the link is valid."""
    invitation = access_invitation_by_link(invitation_id)
    refusal = invitation_refusal(invitation, token)
    form = AuditedSetPasswordForm(invitation.user, request.POST or None)
    if not refusal and request.method == "POST" and form.is_valid():
        try:
            accept_invitation(
                invitation=invitation, token=token, password=form.cleaned_data["new_password1"]
            )
        except PeopleRefused as refused:
            refusal = refused.code
        else:
            messages.success(
                request,
                _("계정이 활성화되었습니다. 아이디 %(username)s와 새 비밀번호로 로그인하세요.")
                % {"username": invitation.user.get_username()},
            )
            return redirect("accounts:login")
    status = 200
    if refusal or (request.method == "POST" and not form.is_valid()):
        status = 400
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "account": invitation.user,
            "form": form,
            "refusal": people_refusal_message(refusal) if refusal else "",
            "refusal_code": refusal,
        },
        status=status,
    )


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=AuditedSetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
