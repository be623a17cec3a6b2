"""Call statistics (issue 13): what the Ministry published about a year's
call (how many applied) is recorded with its source on a small form and
shown on that year's results report (the demo's figures: ``site`` tests)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.analytics.models import CallFigures
from smartcity.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SOURCE = "국토교통부 보도자료 2021. 9. 9.: 총 30개 도시가 참여"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ministry_records_the_applicants_and_the_report_shows_them_with_the_source(
    history: None, ministry_officer: User
) -> None:
    client = signed_in(ministry_officer)
    url = reverse("analytics:call_figures", args=[2021])
    assert url in client.get(reverse("analytics:report", args=[2021])).content.decode()
    done = client.post(url, {"kind": "city", "applicants": "30", "source": SOURCE}, follow=True)
    page = done.content.decode()
    assert "2021년 공모 통계를 기록했습니다" in page
    assert "2021년 인증 공모에는 총 30개 도시가 신청하였다." in page and SOURCE in page
    public = Client().get(reverse("analytics:report", args=[2021])).content.decode()
    assert 'data-figures="city"' in public and SOURCE in public and url not in public
    # Recording the same kind again corrects it; both versions are in the audit row.
    client.post(url, {"kind": "city", "applicants": "31", "source": SOURCE})
    assert CallFigures.objects.get().applicants == 31
    row = AuditEvent.objects.filter(action="analytics.call_figures_recorded").latest("id")
    assert row.data["before"]["applicants"] == 30 and row.data["after"]["applicants"] == 31


@pytest.mark.parametrize(
    ("form", "field_text"),
    [
        ({"kind": "city", "applicants": "-1", "source": SOURCE}, "0"),
        ({"kind": "city", "applicants": "삼십", "source": SOURCE}, "정수"),
        ({"kind": "city", "applicants": "99999999999", "source": SOURCE}, "10000"),
        ({"kind": "city", "source": SOURCE}, "신청 수를 하나 이상 입력하세요"),
        ({"kind": "city", "applicants": "30", "source": ""}, "필수"),
        ({"kind": "town", "applicants": "30", "source": SOURCE}, "town"),
    ],
)
def test_hostile_figures_are_a_400_naming_the_field_and_change_nothing(
    history: None, ministry_officer: User, form: dict[str, str], field_text: str
) -> None:
    response = signed_in(ministry_officer).post(
        reverse("analytics:call_figures", args=[2021]), form
    )
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert not CallFigures.objects.exists()


def test_only_the_ministry_records_figures_and_only_for_a_reported_year(
    history: None, ministry_officer: User, operator_staff: User, applicant_city_a: User
) -> None:
    url = reverse("analytics:call_figures", args=[2021])
    for user in (operator_staff, applicant_city_a):
        client = signed_in(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"kind": "city", "applicants": "1", "source": "x"}).status_code == 404
        )
    assert Client().get(url).status_code == 302  # to the login page
    missing = signed_in(ministry_officer).get(reverse("analytics:call_figures", args=[1999]))
    assert missing.status_code == 404
    assert not CallFigures.objects.exists()
