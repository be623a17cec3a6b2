from django.urls import path

from smartcity.operations import views, views_linkage

app_name = "operations"
urlpatterns = [
    path("", views.home, name="home"),
    path("board/", views.board, name="board"),
    path("board/stream/", views.board_stream, name="board_stream"),
    path("board/incidents.json", views.board_incidents, name="board_incidents"),
    path("board/boundaries.geojson", views.board_boundaries, name="board_boundaries"),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/status/", views.incident_status, name="incident_status"),
    path("incidents/<int:incident_id>/note/", views.incident_note, name="incident_note"),
    path(
        "incidents/<int:incident_id>/handover/", views.incident_handover, name="incident_handover"
    ),
    path("cameras/", views.camera_list, name="cameras"),
    path("cameras/<int:camera_id>/", views.camera_detail, name="camera"),
    # Linkage services: the centre's side.
    path("incidents/<int:incident_id>/video/", views_linkage.incident_grant, name="incident_grant"),
    path(
        "incidents/<int:incident_id>/disaster-area/",
        views_linkage.incident_disaster_area,
        name="incident_disaster_area",
    ),
    path(
        "incidents/<int:incident_id>/guardian-contact/",
        views_linkage.incident_guardian_contact,
        name="incident_guardian_contact",
    ),
    path("video/grants/<int:grant_id>/revoke/", views_linkage.grant_revoke, name="grant_revoke"),
    path("video/log/", views_linkage.video_log, name="video_log"),
    path("video/log.csv", views_linkage.video_log_csv, name="video_log_csv"),
    path("video/review/", views_linkage.video_review, name="video_review"),
    # The agencies' side (police 112, fire 119, disaster rooms) and the video gateway.
    path("agency/", views_linkage.agency_console, name="agency"),
    path("agency/break-glass/", views_linkage.agency_break_glass, name="agency_break_glass"),
    path("agency/grants/<int:grant_id>/", views_linkage.agency_grant, name="agency_grant"),
    path(
        "agency/grants/<int:grant_id>/dispatch/",
        views_linkage.agency_dispatch,
        name="agency_dispatch",
    ),
    path("agency/grants/<int:grant_id>/extend/", views_linkage.agency_extend, name="agency_extend"),
    path(
        "agency/grants/<int:grant_id>/cameras/<int:camera_id>/token/",
        views_linkage.stream_token,
        name="stream_token",
    ),
    path("video/<str:token>/", views_linkage.video_gateway, name="video_gateway"),
]
