from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api
from smartcity.core import urls as core_urls
from smartcity.municipalities import urls as municipalities_urls
from smartcity.registry import urls as registry_urls
from smartcity.site import urls as site_urls

# The site's pages (home, audit log) moved out of core, which imports no
# product app; they keep their names (core:home, core:audit_log) beside core's
# own (core:healthz, core:readyz) in the one namespace both apps share.
core_namespace = ([*site_urls.urlpatterns, *core_urls.urlpatterns], "core")
# A municipality's page shows its certification record, so the registry (the
# floor above municipalities) serves it under its old name, municipalities:detail.
municipalities_namespace = (
    [*municipalities_urls.urlpatterns, *registry_urls.municipality_patterns],
    "municipalities",
)

urlpatterns = [
    path("", include(core_namespace)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("smartcity.accounts.urls")),
    path("municipalities/", include(municipalities_namespace)),
    path("registry/", include("smartcity.registry.urls")),
    path("frameworks/", include("smartcity.frameworks.urls")),
    path("applications/", include("smartcity.certification.urls")),
    path("reviews/", include("smartcity.certification.evaluation.urls")),
    path("certificates/", include("smartcity.registry.urls_certificates")),
    path("operations/", include("smartcity.operations.urls")),
    path("notifications/", include("smartcity.notifications.urls")),
    path("analytics/", include("smartcity.analytics.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# The product's own error pages, in the reader's language inside the site layout
# (the 500 page is templates/500.html, rendered by Django without a request).
handler400 = "smartcity.core.errors.bad_request"
handler403 = "smartcity.core.errors.permission_denied"
handler404 = "smartcity.core.errors.page_not_found"
