from django.urls import path

from smartcity.certification import views, views_submission

app_name = "certification"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.start, name="start"),
    path("<int:application_id>/", views.edit, name="edit"),
    path("<int:application_id>/preview/", views.preview, name="preview"),
    path("<int:application_id>/explain/", views.explain_view, name="explain"),
    path("<int:application_id>/what-if/", views.what_if_view, name="what_if"),
    path("calls/", views_submission.call_list, name="calls"),
    path("<int:application_id>/documents/", views_submission.documents, name="documents"),
    path("<int:application_id>/apply/<int:call_id>/", views_submission.apply, name="apply"),
    path(
        "<int:application_id>/files/<int:attachment_id>/",
        views_submission.attachment,
        name="attachment",
    ),
]
