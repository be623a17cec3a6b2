"""The certificate files, at ``/certificates/`` under the namespace they have
always had (``certificates:pdf``): links, bookmarks and the rate limit keyed
on the URL name keep working now that the registry serves them."""

from django.urls import path

from smartcity.registry import views_certificates

app_name = "certificates"
urlpatterns = [path("<str:number>.pdf", views_certificates.certificate_pdf, name="pdf")]
