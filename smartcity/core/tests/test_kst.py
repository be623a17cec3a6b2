"""Times are shown in Korean Standard Time in one format, in both languages."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from smartcity.core.templatetags.smartcity import kst

MOMENT = dt.datetime(2026, 3, 9, 15, 5, 9, tzinfo=dt.UTC)  # 00:05:09 on 10 March in Seoul


def test_a_moment_reads_in_korean_standard_time_whatever_zone_it_was_stored_in() -> None:
    assert kst(MOMENT) == "2026-03-10 00:05 KST"
    assert kst(MOMENT, "s") == "2026-03-10 00:05:09 KST"
    new_york = MOMENT.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    assert kst(new_york) == "2026-03-10 00:05 KST"


def test_a_day_a_blank_and_nothing() -> None:
    assert kst(dt.date(2026, 3, 10)) == "2026-03-10"
    assert kst(None) == "—" and kst("") == "—"


def test_the_same_format_in_english_and_for_a_moment_shown_bare() -> None:
    template = Template("{% load smartcity %}{{ t|kst }}|{{ t }}")
    with translation.override("en"):
        english = template.render(Context({"t": MOMENT}))
    with translation.override("ko"):
        korean = template.render(Context({"t": MOMENT}))
    assert english == korean == "2026-03-10 00:05 KST|2026-03-10 00:05 KST"
