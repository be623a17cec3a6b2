from django.urls import path

from smartcity.municipalities import views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list_view, name="list"),
    path("<str:code>/", views.municipality_detail, name="detail"),
]
