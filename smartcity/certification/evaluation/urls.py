from django.urls import path

from smartcity.certification.evaluation.views import (
    committee_members,
    committees,
    consensus,
    inspection,
    reviews,
    scoring,
)

app_name = "evaluation"
urlpatterns = [
    path("", reviews.my_reviews, name="mine"),
    path("<int:application_id>/", scoring.review, name="review"),
    path("<int:application_id>/submit/", scoring.review_submit, name="review_submit"),
    path(
        "<int:application_id>/documents/<int:attachment_id>/",
        scoring.document,
        name="document",
    ),
    path(
        "<int:application_id>/reopen/<int:assignment_id>/",
        consensus.reopen,
        name="reopen",
    ),
    path("<int:application_id>/declare-conflict/", reviews.declare, name="declare"),
    path("<int:application_id>/thread/", reviews.thread, name="thread"),
    path("<int:application_id>/consensus/", consensus.consensus, name="consensus"),
    path("<int:application_id>/inspection/", inspection.inspection, name="inspection"),
    path("inspection-items/<int:item_id>/", inspection.inspection_item, name="inspection_item"),
    path("calls/", committees.calls, name="calls"),
    path("calls/<int:call_id>/committees/", committees.committees, name="committees"),
    path(
        "calls/<int:call_id>/committees/create/",
        committees.committees_create,
        name="committees_create",
    ),
    path(
        "calls/<int:call_id>/committees/members/",
        committees.committee_add_member,
        name="committee_add_member",
    ),
    path(
        "calls/<int:call_id>/committees/auto-assign/",
        committees.committee_auto_assign,
        name="committee_auto_assign",
    ),
    path("calls/<int:call_id>/committees/detect/", committees.detect, name="committee_detect"),
    path(
        "calls/<int:call_id>/committees/<int:committee_id>/members/<int:member_id>/remove/",
        committee_members.remove,
        name="committee_remove_member",
    ),
    path(
        "calls/<int:call_id>/committees/assign/",
        committee_members.assign,
        name="committee_assign",
    ),
    path(
        "calls/<int:call_id>/committees/assignments/<int:application_id>/<int:member_id>/unassign/",
        committee_members.unassign,
        name="committee_unassign",
    ),
]
