from django.urls import path

from smartcity.operations.views import (
    access_log,
    agency,
    agency_live,
    centre,
    gateway,
    grants,
    incidents,
    programme,
    setup_agencies,
    setup_cameras,
    setup_keys,
    situations,
)

app_name = "operations"
urlpatterns = [
    path("", incidents.home, name="home"),
    path("board/", incidents.board, name="board"),
    path("centre/", centre.centre, name="centre"),
    # The centre's set-up (centre administrators).
    path("setup/", setup_keys.setup_home, name="setup"),
    path("setup/keys/", setup_keys.setup_keys, name="setup_keys"),
    path(
        "setup/keys/<int:client_id>/rotate/", setup_keys.setup_key_rotate, name="setup_key_rotate"
    ),
    path(
        "setup/keys/<int:client_id>/revoke/", setup_keys.setup_key_revoke, name="setup_key_revoke"
    ),
    path("setup/agencies/", setup_agencies.setup_agencies, name="setup_agencies"),
    path("setup/agencies/<int:agency_id>/", setup_agencies.setup_agency, name="setup_agency"),
    path(
        "setup/agencies/<int:agency_id>/active/",
        setup_agencies.setup_agency_active,
        name="setup_agency_active",
    ),
    path(
        "setup/agencies/<int:agency_id>/officers/<int:officer_id>/",
        setup_agencies.setup_officer,
        name="setup_officer",
    ),
    path(
        "setup/agencies/<int:agency_id>/officers/<int:officer_id>/active/",
        setup_agencies.setup_officer_active,
        name="setup_officer_active",
    ),
    path("setup/cameras/", setup_cameras.setup_cameras, name="setup_cameras"),
    path(
        "setup/cameras/imports/<int:import_id>/",
        setup_cameras.setup_camera_import,
        name="setup_camera_import",
    ),
    path(
        "setup/cameras/imports/<int:import_id>/retry/",
        setup_cameras.setup_camera_import_retry,
        name="setup_camera_import_retry",
    ),
    path(
        "setup/cameras/imports/<int:import_id>/rejected.csv",
        setup_cameras.setup_camera_import_report,
        name="setup_camera_import_report",
    ),
    path("setup/layers/", setup_cameras.setup_layers, name="setup_layers"),
    path("programme/import/", programme.programme_import, name="programme_import"),
    path("board/stream/", incidents.board_stream, name="board_stream"),
    path("board/incidents.json", incidents.board_incidents, name="board_incidents"),
    path("board/cameras.json", incidents.board_cameras, name="board_cameras"),
    path("board/boundaries.geojson", incidents.board_boundaries, name="board_boundaries"),
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/<int:incident_id>/", incidents.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/status/", incidents.incident_status, name="incident_status"),
    path(
        "incidents/<int:incident_id>/acknowledge/",
        incidents.incident_acknowledge,
        name="incident_acknowledge",
    ),
    path("incidents/<int:incident_id>/note/", incidents.incident_note, name="incident_note"),
    path(
        "incidents/<int:incident_id>/handover/",
        incidents.incident_handover,
        name="incident_handover",
    ),
    path("cameras/", incidents.camera_list, name="cameras"),
    path("cameras/<int:camera_id>/", incidents.camera_detail, name="camera"),
    # Linkage services: the centre's side.
    path("incidents/<int:incident_id>/video/", grants.incident_grant, name="incident_grant"),
    path(
        "incidents/<int:incident_id>/disaster-area/",
        situations.incident_disaster_area,
        name="incident_disaster_area",
    ),
    path(
        "incidents/<int:incident_id>/guardian-contact/",
        situations.incident_guardian_contact,
        name="incident_guardian_contact",
    ),
    path(
        "incidents/<int:incident_id>/carrier-photo/",
        situations.carrier_photo,
        name="carrier_photo",
    ),
    path("video/grants/<int:grant_id>/revoke/", grants.grant_revoke, name="grant_revoke"),
    path("video/log/", access_log.video_log, name="video_log"),
    path("video/log.csv", access_log.video_log_csv, name="video_log_csv"),
    path("video/review/", access_log.video_review, name="video_review"),
    # The agencies' side (police 112, fire 119, disaster rooms) and the video gateway.
    path("agency/", agency.agency_console, name="agency"),
    path("agency/stream/", agency_live.agency_stream, name="agency_stream"),
    path("agency/grants/", agency_live.agency_grants_fragment, name="agency_grants"),
    path(
        "agency/grants/<int:grant_id>/state.json",
        agency_live.agency_grant_state,
        name="agency_grant_state",
    ),
    path("agency/break-glass/", agency.agency_break_glass, name="agency_break_glass"),
    path("agency/grants/<int:grant_id>/", agency.agency_grant, name="agency_grant"),
    path(
        "agency/grants/<int:grant_id>/dispatch/",
        agency.agency_dispatch,
        name="agency_dispatch",
    ),
    path("agency/grants/<int:grant_id>/extend/", agency.agency_extend, name="agency_extend"),
    path(
        "agency/grants/<int:grant_id>/cameras/<int:camera_id>/token/",
        gateway.stream_token,
        name="stream_token",
    ),
    path("video/<str:token>/", gateway.video_gateway, name="video_gateway"),
]
