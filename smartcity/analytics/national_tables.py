"""The national platform page's figures as tables: each feeds its chart, its
HTML table and its CSV (``tables.Table``), so the three cannot disagree."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from smartcity.analytics.domain.outcomes import Outcomes, Tally, clock
from smartcity.analytics.selectors.national import CentreCoverage
from smartcity.analytics.tables import Table, pct
from smartcity.operations.domain.five_services import SERVICES
from smartcity.operations.messages import video_refusal_message


def service_names() -> dict[str, str]:
    return {
        "video_112": _("112센터 긴급영상 지원"),
        "dispatch_112": _("112 긴급출동 지원"),
        "dispatch_119": _("119 긴급출동 지원"),
        "disaster": _("긴급재난상황 지원"),
        "vulnerable": _("사회적 약자 지원"),
    }


def state_labels() -> dict[str, str]:
    return {
        "linked": _("연계(기관·이용 실적 있음)"),
        "channel_only": _("기관 연결, 이용 실적 없음"),
        "traffic_only": _("이용 실적만 있음(연계 기관 없음)"),
        "none": _("연계 없음"),
    }


def coverage_table(rows: list[CentreCoverage]) -> Table:
    names = service_names()
    labels = state_labels()
    return Table(
        slug="coverage",
        caption=_("센터별 5대 안전망 연계 서비스"),
        columns=[_("센터"), *[names[s.key] for s in SERVICES], _("연계 서비스 수")],
        rows=[
            [c.tenant.name_ko, *[labels[link.state] for link in c.links], c.linked] for c in rows
        ],
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": [c.tenant.name_ko for c in rows],
            "datasets": [
                {
                    "label": _("연계 서비스 수"),
                    "data": [c.linked for c in rows],
                    "backgroundColor": "#1b7837",
                }
            ],
        },
    )


def _share(t: Tally) -> str:
    share = t.refused_share
    return "—" if share is None else pct(share)


def outcome_tables(o: Outcomes) -> list[Table]:
    months = list(o.by_month)
    monthly = Table(
        slug="provisions-by-month",
        caption=_("월별 영상 제공·거부·긴급 열람"),
        columns=[_("월"), _("영상 제공"), _("긴급 열람"), _("거부"), _("거부 비율(%)")],
        rows=[
            [m, t.provisions, t.break_glass, t.refusals, _share(t)] for m, t in o.by_month.items()
        ],
        chart={
            "type": "bar",
            "labels": months,
            "datasets": [
                {
                    "label": _("영상 제공"),
                    "data": [t.provisions for t in o.by_month.values()],
                    "backgroundColor": "#2166ac",
                },
                {
                    "label": _("긴급 열람"),
                    "data": [t.break_glass for t in o.by_month.values()],
                    "backgroundColor": "#b2182b",
                },
                {
                    "label": _("거부"),
                    "data": [t.refusals for t in o.by_month.values()],
                    "backgroundColor": "#999999",
                },
            ],
        },
    )
    agencies = Table(
        slug="provisions-by-agency",
        caption=_("기관별 영상 제공"),
        columns=[_("기관"), _("영상 제공"), _("긴급 열람"), _("거부"), _("거부 비율(%)")],
        rows=[
            [a, t.provisions, t.break_glass, t.refusals, _share(t)] for a, t in o.by_agency.items()
        ],
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": list(o.by_agency),
            "datasets": [
                {
                    "label": _("영상 제공"),
                    "data": [t.provisions for t in o.by_agency.values()],
                    "backgroundColor": "#2166ac",
                }
            ],
        },
    )
    timed = {m: t for m, t in o.by_month.items() if t.seconds}
    timing = Table(
        slug="time-to-first-frame",
        caption=_("112·119 신고 접수부터 첫 화면 제공까지 걸린 시간(월별)"),
        columns=[_("월"), _("측정한 상황 수"), _("중앙값(분:초)"), _("평균(분:초)")],
        rows=[
            [m, len(t.seconds), clock(t.median_seconds), clock(t.mean_seconds)]
            for m, t in timed.items()
        ],
        chart={
            "type": "line",
            "labels": list(timed),
            "datasets": [
                {
                    "label": _("중앙값(초)"),
                    "data": [round(t.median_seconds or 0) for t in timed.values()],
                    "borderColor": "#2166ac",
                }
            ],
        },
    )
    total_refusals = sum(o.reasons.values())
    reasons = Table(
        slug="refusal-reasons",
        caption=_("영상 제공 거부 사유"),
        columns=[_("사유"), _("코드"), _("건수"), _("거부 중 비율(%)")],
        rows=[
            [_reason(code), code, n, _percent(n, total_refusals)]
            for code, n in o.reasons.most_common()
        ],
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": [code for code, _n in o.reasons.most_common()],
            "datasets": [
                {
                    "label": _("건수"),
                    "data": [n for _c, n in o.reasons.most_common()],
                    "backgroundColor": "#999999",
                }
            ],
        },
    )
    centres = Table(
        slug="outcomes-by-centre",
        caption=_("센터별 성과"),
        columns=[
            _("센터"),
            _("영상 제공"),
            _("긴급 열람"),
            _("거부"),
            _("거부 비율(%)"),
            _("첫 화면까지 중앙값(분:초)"),
        ],
        rows=[
            [c, t.provisions, t.break_glass, t.refusals, _share(t), clock(t.median_seconds)]
            for c, t in o.by_centre.items()
        ],
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": list(o.by_centre),
            "datasets": [
                {
                    "label": _("영상 제공"),
                    "data": [t.provisions for t in o.by_centre.values()],
                    "backgroundColor": "#2166ac",
                },
                {
                    "label": _("긴급 열람"),
                    "data": [t.break_glass for t in o.by_centre.values()],
                    "backgroundColor": "#b2182b",
                },
            ],
        },
    )
    return [monthly, agencies, timing, reasons, centres]


def _reason(code: str) -> str:
    message = video_refusal_message(code)
    return message if message != code else _("기타 거부")


def _percent(n: int, total: int) -> str:
    return pct(Fraction(n, total)) if total else "—"
