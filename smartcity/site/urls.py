"""The site's pages. They kept the URL names they had when ``core`` served
them (``core:home``, ``core:audit_log``): config/urls.py includes these
patterns and core's under the one ``core`` namespace."""

from django.urls import path

from smartcity.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
]
