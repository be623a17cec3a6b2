from django.urls import path

from smartcity.accounts import views, views_invitation, views_people

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("me/", views.my_account, name="me"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    # Password reset: Django's own views, in the site's layout.
    path("password-reset/", views_invitation.password_reset, name="password_reset"),
    path("password-reset/sent/", views_invitation.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views_invitation.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views_invitation.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "invitations/<int:invitation_id>/<str:token>/",
        views_invitation.accept,
        name="invitation",
    ),
    # People: organisations and accounts (the Ministry; operating bodies, their track).
    path("people/", views_people.people, name="people"),
    path("people/organisations/new/", views_people.organisation_new, name="organisation_new"),
    path("people/invite/", views_people.invite, name="invite"),
    path("people/accounts/<int:account_id>/", views_people.account, name="account"),
    path("people/accounts/<int:account_id>/role/", views_people.account_role, name="account_role"),
    path(
        "people/accounts/<int:account_id>/deactivate/",
        views_people.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "people/accounts/<int:account_id>/reactivate/",
        views_people.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "people/invitations/<int:invitation_id>/resend/",
        views_people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "people/invitations/<int:invitation_id>/cancel/",
        views_people.invitation_cancel,
        name="invitation_cancel",
    ),
]
