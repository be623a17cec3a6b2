from django.urls import path

from smartcity.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("<str:code>/", views.framework_detail, name="detail"),
    path("<str:code>/export.<str:fmt>", views.framework_export, name="export"),
]
