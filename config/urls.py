from django.urls import include, path
from django.views.i18n import set_language

from config.api import api

urlpatterns = [
    path("", include("smartcity.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("smartcity.accounts.urls")),
    path("municipalities/", include("smartcity.municipalities.urls")),
    path("registry/", include("smartcity.registry.urls")),
    path("frameworks/", include("smartcity.frameworks.urls")),
    path("applications/", include("smartcity.certification.urls")),
    path("reviews/", include("smartcity.certification.evaluation.urls")),
    path("certificates/", include("smartcity.certificates.urls")),
    path("operations/", include("smartcity.operations.urls")),
    path("notifications/", include("smartcity.notifications.urls")),
    path("analytics/", include("smartcity.analytics.urls")),
    path("api/", api.urls),
]
