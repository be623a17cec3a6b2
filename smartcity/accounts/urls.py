from django.urls import path

from smartcity.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("me/", views.my_account, name="me"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
]
