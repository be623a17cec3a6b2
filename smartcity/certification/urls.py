from django.urls import path

from smartcity.certification import (
    views,
    views_calls,
    views_confirm,
    views_desk,
    views_results,
    views_submission,
    views_versions,
    views_workflow,
)

app_name = "certification"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.start, name="start"),
    path("<int:application_id>/", views.edit, name="edit"),
    path("<int:application_id>/preview/", views.preview, name="preview"),
    path("<int:application_id>/explain/", views.explain_view, name="explain"),
    path("<int:application_id>/what-if/", views.what_if_view, name="what_if"),
    path("<int:application_id>/submit/", views_confirm.submit, name="submit"),
    path("<int:application_id>/receipt/<int:number>/", views_confirm.receipt, name="receipt"),
    path("calls/", views_submission.call_list, name="calls"),
    path("calls/<int:call_id>/", views_calls.public, name="call"),
    path("calls/<int:call_id>/apply/", views_submission.apply_to, name="call_apply"),
    path("calls/manage/", views_calls.manage, name="calls_manage"),
    path("calls/new/<str:track>/", views_calls.create, name="call_create"),
    path("calls/<int:call_id>/edit/", views_calls.edit, name="call_edit"),
    path("calls/<int:call_id>/publish/", views_calls.publish, name="call_publish"),
    path("<int:application_id>/documents/", views_submission.documents, name="documents"),
    path("<int:application_id>/apply/<int:call_id>/", views_submission.apply, name="apply"),
    path(
        "<int:application_id>/files/<int:attachment_id>/",
        views_submission.attachment,
        name="attachment",
    ),
    path("desk/<int:call_id>/", views_desk.desk, name="desk"),
    path(
        "<int:application_id>/workflow/<str:action>/",
        views_workflow.workflow_action,
        name="workflow",
    ),
    path(
        "<int:application_id>/supplement/request/",
        views_workflow.request_supplement_view,
        name="request_supplement",
    ),
    path(
        "<int:application_id>/supplement/answer/",
        views_workflow.answer_supplement_view,
        name="answer_supplement",
    ),
    path(
        "<int:application_id>/versions/<int:a>/<int:b>/",
        views_versions.version_diff,
        name="version_diff",
    ),
    path("approvals/", views_results.approvals, name="approvals"),
    path(
        "<int:application_id>/approval/<str:action>/",
        views_results.decide_approval,
        name="approval",
    ),
    path("<int:application_id>/announce/", views_results.announce_one, name="announce"),
    path("calls/<int:call_id>/announce/", views_results.announce_call_view, name="announce_call"),
    path("<int:application_id>/result/", views_results.result, name="result"),
    path("<int:application_id>/result.pdf", views_results.result_pdf, name="result_pdf"),
    path("<int:application_id>/changes/", views_results.changes, name="changes"),
    path("certificates/<str:number>/extend/", views_results.extension, name="extension"),
]
