"""Refusals of the integrated platform's services, as codes.

Services raise these; the API turns them into 422/409 with a field path, the
views into form errors, and ``messages`` into sentences (Korean source).
"""

from __future__ import annotations


class OperationsError(Exception):
    code: str = "error"

    def __init__(self, code: str = "", **params: object) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(self.code)


class IntakeInvalid(OperationsError):
    """A report that cannot be accepted as sent (HTTP 422); ``field`` names the
    body field to blame."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.field = field


class OutsideCentre(IntakeInvalid):
    """The reported place lies outside every local government the receiving
    centre serves (and is not routed): ``outside_centre`` by the coordinates,
    ``area_code_outside_centre`` by the sender's area code (HTTP 422; the
    legacy adapter answers ``refused``)."""

    def __init__(self, code: str, **params: object) -> None:
        field = "area_code" if code == "area_code_outside_centre" else "latitude"
        super().__init__(field, code, **params)


class StateConflict(OperationsError):
    """The change is not allowed in the incident's current state (HTTP 409):
    a workflow refusal code, ``not_found`` or ``same_tenant``."""


class IdempotencyConflict(OperationsError):
    """The idempotency key was used before with another body (HTTP 409)."""

    code = "idempotency_key_reused"


class VideoRefused(OperationsError):
    """No video: a grant, a view or an extension the rules refuse (the code is a
    ``domain.video_rules`` refusal). The attempt is already in the access log."""
