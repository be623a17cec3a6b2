from django.urls import path

from smartcity.certification.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.my_reviews, name="mine"),
    path("<int:application_id>/", views.review, name="review"),
    path("<int:application_id>/declare-conflict/", views.declare, name="declare"),
    path("<int:application_id>/thread/", views.thread, name="thread"),
    path("<int:application_id>/consensus/", views.consensus, name="consensus"),
    path("<int:application_id>/inspection/", views.inspection, name="inspection"),
    path("inspection-items/<int:item_id>/", views.inspection_item, name="inspection_item"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:call_id>/committees/", views.committees, name="committees"),
    path(
        "calls/<int:call_id>/committees/create/",
        views.committees_create,
        name="committees_create",
    ),
    path(
        "calls/<int:call_id>/committees/members/",
        views.committee_add_member,
        name="committee_add_member",
    ),
    path(
        "calls/<int:call_id>/committees/auto-assign/",
        views.committee_auto_assign,
        name="committee_auto_assign",
    ),
    path("calls/<int:call_id>/committees/detect/", views.detect, name="committee_detect"),
]
