"""A control character in the address is a 400 with a reason, never a 500
(PostgreSQL refuses NUL in text values)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/municipalities/%EC%84%9C%EC%9A%B8%00/",
        "/registry/verify/2026-C-0001%00/",
        "/frameworks/city-2023%1B/",
    ],
)
def test_a_control_character_in_the_address_is_a_400_with_a_reason(url: str) -> None:
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 400
    assert "제어 문자" in response.content.decode()


def test_an_ordinary_korean_address_still_works() -> None:
    assert Client().get("/registry/?q=%EC%84%9C%EC%9A%B8").status_code == 200


def test_a_control_character_in_a_query_value_is_left_to_the_page() -> None:
    # The page names the bad field itself (or ignores it); never a 5xx.
    assert Client().get("/registry/?q=%00&valid_on=2026-01-01%0A").status_code < 500


def test_the_api_answers_its_own_documented_404() -> None:
    response = Client().get("/api/registry/certificates/%0F")
    assert response.status_code == 404
    assert response.json() == {"detail": "not found"}
