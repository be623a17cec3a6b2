from django.urls import path

from smartcity.registry import views, views_import, views_municipality

app_name = "registry"
urlpatterns = [
    path("", views.certificate_list_view, name="list"),
    path("cities/<str:code>/", views.city_detail, name="city"),
    path("services/<int:subject_id>/", views.service_detail, name="service"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify_number, name="verify_number"),
    path("import/", views_import.import_view, name="import"),
    path("certificates/<str:number>/", views.certificate_detail, name="certificate"),
    path("certificates/<str:number>/revoke/", views.revoke, name="revoke"),
]

# Served in the municipalities namespace (municipalities:detail) by config/urls.py:
# the page is a municipality's, but it shows the registry's record too.
municipality_patterns = [
    path("<str:code>/", views_municipality.municipality_detail, name="detail"),
]
