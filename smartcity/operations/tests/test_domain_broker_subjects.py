"""A sender's results subject mirrors the subject it publishes on."""

from __future__ import annotations

from smartcity.operations.domain.broker_subjects import (
    intake_subject,
    intake_wildcard,
    results_subject,
    sender_of,
)


def test_a_sender_reads_its_results_under_the_name_it_sends_with() -> None:
    for sender in ("112-goyang", "carrier.kt.7"):
        subject = intake_subject("smartcity", sender)
        assert subject == f"smartcity.intake.in.{sender}"
        assert sender_of("smartcity", subject) == sender
        assert results_subject("smartcity", sender) == f"smartcity.intake.results.{sender}"
    assert intake_wildcard("smartcity") == "smartcity.intake.in.>"


def test_other_subjects_name_no_sender() -> None:
    assert sender_of("smartcity", "smartcity.intake.in.") is None
    assert sender_of("smartcity", "smartcity.intake.results.a") is None
    assert sender_of("smartcity", "other.intake.in.a") is None
