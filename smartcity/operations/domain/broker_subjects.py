"""Subjects of the broker path for sending systems (docs/adr/0024).

A sending system publishes its events on ``<prefix>.intake.in.<sender>`` and
reads their results on ``<prefix>.intake.results.<sender>``: the results
subject is the intake subject with ``in`` replaced, so a sender that names
itself in one token (``112-goyang``) or several (``carrier.kt.7``) finds its
answers by the same name. The name says where to answer, not who is allowed
to send: that is the API key in the message's header.
"""

from __future__ import annotations

INTAKE = "intake"
INBOUND = "in"
RESULTS = "results"


def intake_wildcard(prefix: str) -> str:
    """What the intake consumer reads: every sender's inbound subject."""
    return f"{prefix}.{INTAKE}.{INBOUND}.>"


def intake_subject(prefix: str, sender: str) -> str:
    """Where ``sender`` publishes its events."""
    return f"{prefix}.{INTAKE}.{INBOUND}.{sender}"


def results_subject(prefix: str, sender: str) -> str:
    """Where ``sender`` reads the results of its events."""
    return f"{prefix}.{INTAKE}.{RESULTS}.{sender}"


def sender_of(prefix: str, subject: str) -> str | None:
    """The sender's name in an intake subject; ``None`` for any other subject."""
    head = f"{prefix}.{INTAKE}.{INBOUND}."
    if not subject.startswith(head) or len(subject) == len(head):
        return None
    return subject[len(head) :]
