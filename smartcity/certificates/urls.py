from django.urls import path

from smartcity.certificates import views

app_name = "certificates"
urlpatterns = [path("<str:number>.pdf", views.certificate_pdf, name="pdf")]
