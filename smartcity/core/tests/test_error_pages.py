"""The product's own error pages: inside the site layout, in the reader's
language, and a reason only where a view wrote one for the reader."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_products_404_in_korean_with_the_menu(client: Client) -> None:
    response = client.get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in content
    assert "main-nav" in content and "/static/css/site.css" in content
    assert "Page not found" not in content and "Traceback" not in content


def test_the_404_is_in_english_for_an_english_reader() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404 and "Page not found" in content
    assert 'lang="en"' in content and "페이지를 찾을 수 없습니다" not in content


def test_a_plain_404_shows_no_reason_so_missing_and_forbidden_look_the_same(
    client: Client, applicant_city_a
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(applicant_city_a)
    forbidden = client.get("/audit/")
    missing = client.get("/applications/99999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert 'data-testid="error-reason"' not in forbidden.content.decode()
    assert 'data-testid="error-reason"' not in missing.content.decode()


def test_a_year_without_a_report_is_a_404_that_says_so(client: Client) -> None:
    for year in ("0", "1999", "99999999999999999999"):
        response = client.get(f"/analytics/reports/{year}/")
        assert response.status_code == 404, year
        assert "발표된 인증 결과가 없어 결과 보고서가 없습니다" in response.content.decode()
    assert client.get("/analytics/reports/0/pdf/").status_code == 404


def test_the_500_page_renders_without_a_request_in_both_languages() -> None:
    korean = render_to_string("500.html")
    assert "일시적인 오류가 발생했습니다" in korean and "site.css" in korean
    with translation.override("en"):
        english = render_to_string("500.html")
    assert "Something went wrong on our side" in english and 'lang="en"' in english


def test_an_error_in_a_view_answers_the_products_500(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    # The home page (site, a floor above core) breaks, by name only.
    monkeypatch.setattr("smartcity.site.views.certificates_valid_on", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "일시적인 오류가 발생했습니다" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_a_stale_form_is_refused_with_the_products_403_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "양식이 만료되었습니다" in response.content.decode()


def test_permission_denied_is_the_products_403(rf) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from smartcity.core.errors import permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied("internal rule name"))
    content = response.content.decode()
    assert response.status_code == 403 and "접근할 수 없습니다" in content
    assert "internal rule name" not in content
