from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from smartcity.analytics.selectors.results import result_rows

pytestmark = pytest.mark.django_db


def test_demo_results_are_generated_once_and_labelled(municipal_register, ministry_officer) -> None:
    out = io.StringIO()
    call_command("analytics", "demo-results", "--years", "2024", stdout=out)
    assert "243 generated results (생성된 데모)" in out.getvalue()
    rows = result_rows(full=False)
    assert len(rows) == 243 and {r.year for r in rows} == {2024}
    with pytest.raises(CommandError):
        call_command("analytics", "demo-results", "--years", "2024", stdout=out)
