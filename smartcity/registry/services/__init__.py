"""Writes to the certification registry, the only write path for its tables:
recording decisions (imported or announced) and their subjects, rebuilding
and numbering certificates, revoking them and recording their bronze plates."""

from smartcity.registry.services.certificates import can_revoke, record_plate, revoke_certificate
from smartcity.registry.services.decisions import (
    WORKFLOW_SOURCE,
    RegistryRefused,
    city_subject,
    lifecycle_policy,
    rebuild_certificates,
    record_decision,
    refuse_on_lifecycle_errors,
    service_subject,
)
from smartcity.registry.services.imports import ImportResult, import_decisions

__all__ = [
    "WORKFLOW_SOURCE",
    "ImportResult",
    "RegistryRefused",
    "can_revoke",
    "city_subject",
    "import_decisions",
    "lifecycle_policy",
    "rebuild_certificates",
    "record_decision",
    "record_plate",
    "refuse_on_lifecycle_errors",
    "revoke_certificate",
    "service_subject",
]
