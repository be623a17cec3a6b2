from django.urls import path

from smartcity.evaluation import views

app_name = "evaluation"
urlpatterns = [path("<int:application_id>/", views.review, name="review")]
