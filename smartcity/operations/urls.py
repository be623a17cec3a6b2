from django.urls import path

from smartcity.operations import views

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
]
