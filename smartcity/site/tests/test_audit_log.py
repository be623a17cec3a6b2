"""The audit log as a person reads it: labels instead of codes, links to the
object, filters by actor, object, event and date (validated), pages of 50."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.core.models import AuditEvent
from smartcity.core.services import record_audit
from smartcity.site.audit import ACTION_LABELS, OBJECT_LABELS

pytestmark = pytest.mark.django_db
SMARTCITY = Path(__file__).resolve().parents[2]
URL = "/audit/"


def written_codes() -> tuple[set[str], set[str]]:
    """Every literal audit action and object type the product's code writes."""
    actions: set[str] = set()
    objects: set[str] = set()
    for path in SMARTCITY.rglob("*.py"):
        if "tests" in path.parts or "testing" in path.parts:
            continue
        text = path.read_text()
        if "record_audit" not in text and "audit_action" not in text and "ACTION" not in text:
            continue
        actions.update(
            re.findall(r'(?:action|audit_action|ACTION)\s*=\s*"([a-z_]+\.[a-z_.]+)"', text)
        )
        for pair in re.findall(r'"([a-z]+\.[a-z_]+)" if \w+ else "([a-z]+\.[a-z_]+)"', text):
            actions.update(pair)
        objects.update(re.findall(r'object_type\s*=\s*"([a-z_]+\.[a-z_]+)"', text))
    return actions, objects


def test_every_audit_code_the_product_writes_has_a_label() -> None:
    actions, objects = written_codes()
    assert len(actions) > 50  # the scan finds them
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(objects - set(OBJECT_LABELS)) == []


def test_rows_read_as_labels_with_a_link_to_the_object(
    ministry_officer: User, operator_staff: User, client: Client
) -> None:
    record_audit(
        actor=operator_staff, action="certification.call_created",
        object_type="certification.call", object_id=7,
    )  # fmt: skip
    record_audit(
        actor=ministry_officer,
        action="certification.approve",
        object_type="certification.application",
        object_id=3,
    )
    record_audit(actor=None, actor_label="nightly job", action="someone.new_code")
    client.force_login(ministry_officer)
    page = client.get(URL).content.decode()
    assert "공모 생성" in page and "<code>certification.call_created" not in page
    assert f'href="{reverse("certification:desk", args=[7])}"' in page
    assert f'href="{reverse("certification:edit", args=[3])}"' in page
    assert "승인" in page  # a workflow step, labelled from WorkflowAction
    assert "<code>someone.new_code</code>" in page and "nightly job" in page  # unknown: as it is
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(ministry_officer)
    assert "Call created" in english.get(URL).content.decode()


def test_filters_by_actor_object_event_and_day(
    ministry_officer: User, operator_staff: User, client: Client, time_machine
) -> None:  # type: ignore[no-untyped-def]
    # The audit log stamps rows with the system clock (core.services.record_audit).
    time_machine.move_to(dt.datetime(2026, 3, 9, 14, 30, tzinfo=dt.UTC), tick=False)  # 23:30 KST
    record_audit(
        actor=operator_staff,
        action="certification.call_created",
        object_type="certification.call",
        object_id=1,
    )
    time_machine.move_to(dt.datetime(2026, 3, 9, 15, 30, tzinfo=dt.UTC), tick=False)  # 00:30
    record_audit(
        actor=ministry_officer,
        action="certification.approve",
        object_type="certification.application",
        object_id=2,
    )
    client.force_login(ministry_officer)

    def actions(**query: str) -> list[str]:
        response = client.get(URL, query)
        assert response.status_code == 200
        return [row.event.action for row in response.context["rows"]]

    assert actions(actor="krihs") == ["certification.call_created"]
    assert actions(actor="ministry")[0] == "certification.approve"
    assert "certification.call_created" not in actions(actor="ministry")
    assert actions(object_type="certification.application", object_id="2") == [
        "certification.approve"
    ]
    assert actions(action="certification.call_created") == ["certification.call_created"]
    # Days are Korean days: 23:30 UTC+9 on the 9th, 00:30 on the 10th.
    assert actions(since="2026-03-10", until="2026-03-10") == ["certification.approve"]
    assert actions(since="2026-03-09", until="2026-03-09") == ["certification.call_created"]
    page = client.get(URL, {"actor": "krihs"}).content.decode()
    assert "2026-03-09 23:30:00 KST" in page


@pytest.mark.parametrize(
    "query",
    [
        {"since": "99999-01-01"},
        {"since": "2026-02-30"},
        {"until": "0001-01-01"},
        {"since": "2026-03-10", "until": "2026-03-01"},
        {"object_id": "\x00"},
        {"object_type": "no.such"},
        {"action": "-1"},
        {"actor": "가" * 500},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_filter_values_are_named_not_a_500(
    ministry_officer: User, client: Client, query: dict[str, str]
) -> None:
    record_audit(actor=ministry_officer, action="certification.call_created")
    everything = AuditEvent.objects.count()  # the personas' own rows too
    client.force_login(ministry_officer)
    response = client.get(URL, query)
    assert response.status_code == 200
    if "page" not in query:
        assert response.context["form"].errors
        assert "사용할 수 없는 값" in response.content.decode()
    assert len(response.context["rows"]) == everything  # every row, not a wrong selection


def test_the_log_is_paginated_and_pages_keep_the_filter(
    ministry_officer: User, client: Client
) -> None:
    for _ in range(51):
        record_audit(actor=ministry_officer, action="certification.call_created")
    client.force_login(ministry_officer)
    first = client.get(URL, {"actor": "ministry"})
    assert len(first.context["rows"]) == 50
    assert "actor=ministry&amp;page=2" in first.content.decode()
    assert len(client.get(URL, {"actor": "ministry", "page": "2"}).context["rows"]) == 1
