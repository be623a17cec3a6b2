"""When a revocation may take effect (certification.md §6, rule 5). Pure.

A revocation ends validity on its effective date: from that day the holder
is no longer certified. The Ministry may date it today or later (a notice
period), never earlier, since anyone who verified the certificate before
today was told it held; and only while the certificate still runs, since a
certificate that has already ended, or is already to end by an earlier
revocation, extension or replacement, has nothing left to revoke.
"""

from __future__ import annotations

import datetime as dt


def revocation_problem(
    *,
    effective_on: dt.date,
    today: dt.date,
    valid_from: dt.date,
    valid_until: dt.date,
    ended_by: str,
) -> str:
    """The refusal code for revoking a certificate valid ``valid_from`` to
    ``valid_until`` with effect from ``effective_on``, or ``""`` if allowed."""
    if ended_by:
        return "revocation_already_ended"
    if today > valid_until or today < valid_from:
        return "revocation_without_valid_certification"
    if effective_on < today:
        return "revocation_in_the_past"
    if effective_on > valid_until:
        return "revocation_after_expiry"
    return ""
