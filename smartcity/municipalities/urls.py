from django.urls import path

from smartcity.municipalities import views

# A municipality's page (municipalities:detail, <code>/) also shows its
# certification record, so the registry serves it: see config/urls.py and
# smartcity/registry/views_municipality.py.
urlpatterns = [
    path("", views.municipality_list_view, name="list"),
]
