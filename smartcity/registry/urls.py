from django.urls import path

from smartcity.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.certificate_list_view, name="list"),
    path("cities/<str:code>/", views.city_detail, name="city"),
    path("services/<int:subject_id>/", views.service_detail, name="service"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify_number, name="verify_number"),
    path("import/", views.import_view, name="import"),
    path("certificates/<str:number>/", views.certificate_detail, name="certificate"),
    path("certificates/<str:number>/revoke/", views.revoke, name="revoke"),
]
