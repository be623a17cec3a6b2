"""Models of the integrated platform, one module per aggregate."""

from smartcity.operations.models.cameras import Camera, CameraImport
from smartcity.operations.models.crime_rules import VideoCrimeType, VideoCrimeVariant
from smartcity.operations.models.incidents import (
    EventGrade,
    EventStatus,
    EventType,
    Incident,
    IncidentEvent,
)
from smartcity.operations.models.intake import IdempotencyRecord, IntakeClient
from smartcity.operations.models.linkage import (
    Agency,
    AgencyLink,
    OfficerCertification,
    StreamTokenUse,
    VideoAccessEntry,
    VideoAccessHead,
    VideoGrant,
)
from smartcity.operations.models.programme import (
    PlatformDeployment,
    PlatformProgramme,
    ProgrammeApplicant,
)
from smartcity.operations.models.situations import (
    CarrierAlert,
    CarrierCase,
    CarrierPosition,
    DisasterArea,
    LayerItem,
    LayerKind,
)
from smartcity.operations.models.tenancy import CentreMembership, Tenant
from smartcity.operations.models.viewing import ViewingSession

__all__ = [
    "Agency",
    "AgencyLink",
    "Camera",
    "CameraImport",
    "CarrierAlert",
    "CarrierCase",
    "CarrierPosition",
    "CentreMembership",
    "DisasterArea",
    "EventGrade",
    "EventStatus",
    "EventType",
    "IdempotencyRecord",
    "Incident",
    "IncidentEvent",
    "IntakeClient",
    "LayerItem",
    "LayerKind",
    "OfficerCertification",
    "PlatformDeployment",
    "PlatformProgramme",
    "ProgrammeApplicant",
    "StreamTokenUse",
    "Tenant",
    "VideoAccessEntry",
    "VideoAccessHead",
    "VideoCrimeType",
    "VideoCrimeVariant",
    "VideoGrant",
    "ViewingSession",
]
