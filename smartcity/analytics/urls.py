from django.urls import path

from smartcity.analytics import views, views_figures, views_national

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cities/<str:code>/", views.city, name="city"),
    path("map/", views.map_page, name="map"),
    path("map/features/", views.map_features, name="map_features"),
    path("reports/", views.report_index, name="reports"),
    path("reports/<int:year>/", views.report, name="report"),
    path("reports/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:year>/practices/", views.practices, name="practices"),
    path("reports/<int:year>/figures/", views_figures.call_figures, name="call_figures"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/delete/", views.practice_delete, name="practice_delete"),
    path("platform/", views_national.national, name="national"),
    path("platform/features/", views_national.national_features, name="national_features"),
    path(
        "platform/evidence/<int:application_id>/",
        views_national.platform_evidence,
        name="platform_evidence",
    ),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:slug>.<str:fmt>", views.open_data_file, name="open_data_file"),
]
