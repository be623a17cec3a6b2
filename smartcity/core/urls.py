"""Core's endpoints: liveness and readiness. config/urls.py includes them
under the ``core`` namespace, together with the site's pages."""

from django.urls import path

from smartcity.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
