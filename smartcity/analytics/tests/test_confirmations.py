"""Deleting a good practice asks for confirmation first and says what it
did after (issue 13; ``testing.confirm.walk_confirmation``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.analytics.models import GoodPractice
from smartcity.analytics.services import add_good_practice
from smartcity.registry.models import Subject
from smartcity.testing.confirm import Irreversible, walk_confirmation

pytestmark = pytest.mark.django_db


def test_deleting_a_good_practice_is_confirmed_then_said(history, ministry_officer) -> None:  # type: ignore[no-untyped-def]
    goyang = Subject.objects.get(kind="city", municipality__code="41280")
    practice = add_good_practice(
        actor=ministry_officer, year=2024, subject=goyang, heading="AI 영상관제", body="- 감지"
    )
    client = Client()
    client.force_login(ministry_officer)
    page = walk_confirmation(
        Irreversible(
            "practice_delete",
            client,
            reverse("analytics:practice_delete", args=[practice.pk]),
            {},
            lambda: not GoodPractice.objects.filter(pk=practice.pk).exists(),
            "우수 사례를 삭제했습니다: AI 영상관제",
        )
    )
    assert "AI 영상관제" in page
