from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from smartcity.accounts.access import is_ministry, is_oversight
from smartcity.accounts.models import User
from smartcity.analytics.data_dictionary import dictionary
from smartcity.analytics.domain.mapping import NO_SCORE_COLOUR, SCORE_CLASSES, STATUS_COLOURS
from smartcity.analytics.exports import DATASETS, FORMATS
from smartcity.analytics.exports import render as render_file
from smartcity.analytics.forms import DashboardFilterForm, GoodPracticeForm, MapFilterForm
from smartcity.analytics.models import GoodPractice
from smartcity.analytics.selectors.city import city_page
from smartcity.analytics.selectors.dashboard import count_years
from smartcity.analytics.selectors.dashboard import dashboard as dashboard_data
from smartcity.analytics.selectors.maps import map_geojson, map_rows
from smartcity.analytics.selectors.open_data import open_data_updated_at
from smartcity.analytics.selectors.report import annual_report, report_subjects, report_years
from smartcity.analytics.selectors.results import has_generated_results, result_years
from smartcity.analytics.services import (
    PracticeRefused,
    add_good_practice,
    delete_good_practice,
    update_good_practice,
)
from smartcity.analytics.tables import area_label, dashboard_tables, indicator_label, pct
from smartcity.core.confirm import confirmation_page, is_confirmed
from smartcity.core.errors import NotFoundWithReason
from smartcity.core.htmx import HtmxHttpRequest
from smartcity.registry.models import Subject

REFUSALS = {
    "heading_required": _("주요 부문을 입력하세요."),
    "body_required": _("주요 내용을 입력하세요."),
}

STATUS_LABELS = {
    "certified": _("인증 유효(신규)"),
    "extended": _("인증 유효(연장)"),
    "lapsed": _("인증 만료"),
    "revoked": _("인증 취소"),
    "none": _("인증 이력 없음"),
}


def _csv_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(("\ufeff" + text).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    full = is_oversight(request.user)
    form = DashboardFilterForm(request.GET or None, years=count_years())
    year, size_class = None, ""
    if form.is_valid():
        year, size_class = form.cleaned_data["year"], form.cleaned_data["size_class"]
    data = dashboard_data(full=full, today=timezone.localdate(), year=year, size_class=size_class)
    tables = dashboard_tables(data)
    wanted = request.GET.get("csv")
    if wanted:
        table = next((t for t in tables if t.slug == wanted), None)
        if table is None:
            raise Http404
        return _csv_response(table.csv(), f"smartcity-{table.slug}")
    weakest = [
        (p, area_label(data.labels, p.weakest.code), pct(p.weakest.mean))
        for p in data.panels
        if p.weakest is not None
    ]
    htmx = bool(request.htmx)
    response = render(
        request,
        "analytics/partials/_dashboard_results.html" if htmx else "analytics/dashboard.html",
        {
            "form": form,
            "d": data,
            "tables": tables,
            "weakest": weakest,
            "query": request.GET.urlencode(),
            "generated": has_generated_results(),
        },
    )
    # As the registry's list: the fragment and the page share the pushed URL,
    # so caches and the back button must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    if htmx:
        add_never_cache_headers(response)
    return response


def city(request: HttpRequest, code: str) -> HttpResponse:
    full = is_oversight(request.user)
    page = city_page(code, full=full, today=timezone.localdate())
    if page is None:
        raise Http404
    labels = page.labels
    benchmark = [
        {
            "label": _("총점") if b.code == "total" else area_label(labels, b.code),
            "share": pct(b.share),
            "median": pct(b.peer_median),
            "percentile": b.percentile,
            "peers": b.peer_count,
        }
        for b in page.benchmark
    ]
    trend = [
        {
            "year": t.year,
            "framework": t.framework_code,
            "share": pct(t.share),
            "areas": [
                pct(t.area_shares[a]) if a in t.area_shares else "—" for a in page.trend_areas
            ],
            "grade": t.grade,
            "certified": t.certified,
        }
        for t in page.trend
    ]
    focus = [
        {
            "code": f.code,
            "label": indicator_label(labels, f.code),
            "share": pct(f.share),
            "series": [
                pct(t.indicator_shares[f.code]) if f.code in t.indicator_shares else "—"
                for t in page.trend
            ],
            "improvers": [
                {
                    "code": i.municipality_code,
                    "name": i.name,
                    "from_year": i.from_year,
                    "to_year": i.to_year,
                    "before": pct(i.before),
                    "after": pct(i.after),
                }
                for i in f.improvers
            ],
        }
        for f in page.focus
    ]
    return render(
        request,
        "analytics/city.html",
        {
            "p": page,
            "full": full,
            "status_label": STATUS_LABELS[page.status],
            "benchmark": benchmark,
            "trend": trend,
            "trend_areas": [area_label(labels, a) for a in page.trend_areas],
            "focus": focus,
            "latest_share": pct(page.latest.share) if page.latest else "",
            "generated": has_generated_results(),
        },
    )


def _map_params(request: HttpRequest) -> tuple[MapFilterForm, dt.date, str, int | None]:
    form = MapFilterForm(request.GET or None, years=result_years(full=False))
    day, mode, year = timezone.localdate(), "status", None
    if form.is_valid():
        day = form.cleaned_data["on"] or day
        mode = form.cleaned_data["mode"] or "status"
        year = form.cleaned_data["year"]
    return form, day, mode, year


def map_page(request: HttpRequest) -> HttpResponse:
    form, day, mode, year = _map_params(request)
    rows = map_rows(day=day, mode=mode, year=year, full=is_oversight(request.user))
    if mode == "score":
        legend = [(colour, label) for _bound, colour, label in SCORE_CLASSES]
        legend.append((NO_SCORE_COLOUR, str(_("결과 없음"))))
    else:
        legend = [(STATUS_COLOURS[k], str(v)) for k, v in STATUS_LABELS.items()]
    listed = [r for r in rows if (mode == "score" and r.share is not None) or r.status != "none"]
    return render(
        request,
        "analytics/map.html",
        {
            "form": form,
            "day": day,
            "mode": mode,
            "legend": legend,
            "rows": [
                {
                    "code": r.code,
                    "name": r.name,
                    "status": STATUS_LABELS[r.status],
                    "score": "—" if r.share is None else pct(r.share),
                }
                for r in listed
            ],
            "query": request.GET.urlencode(),
        },
    )


def map_features(request: HttpRequest) -> JsonResponse:
    _form, day, mode, year = _map_params(request)
    rows = map_rows(day=day, mode=mode, year=year, full=is_oversight(request.user))
    response = JsonResponse(map_geojson(rows))
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- annual report ---------------------------------------------------------------


def report_index(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/report_index.html", {"years": report_years()})


def _announced_year(year: int) -> int:
    """A year whose results were announced; any other (0, 99999…, a year
    with no decision yet) has no report: a 404 that says so."""
    if year not in report_years():
        raise NotFoundWithReason(
            _("%(year)s년에 발표된 인증 결과가 없어 결과 보고서가 없습니다.") % {"year": year}
        )
    return year


def _report_context(year: int) -> dict[str, object]:
    report = annual_report(_announced_year(year))
    return {
        "r": report,
        "weakest_label": area_label(report.labels, report.weakest.code) if report.weakest else "",
        "weakest_share": pct(report.weakest.mean) if report.weakest else "",
    }


def report(request: HttpRequest, year: int) -> HttpResponse:
    context = _report_context(year)
    context["can_edit"] = is_oversight(request.user)
    context["can_record_figures"] = is_ministry(request.user)
    return render(request, "analytics/report.html", context)


def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    # WeasyPrint is imported where it is used, as in certificates.pdf: loading
    # it (Pango, fonts) costs a second that no other page should pay.
    from weasyprint import HTML

    with translation.override("ko"):
        html = render_to_string("analytics/report_pdf.html", _report_context(year))
    response = HttpResponse(bytes(HTML(string=html).write_pdf()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="smartcity-results-{year}.pdf"'
    return response


def _oversight_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_oversight(user):
        raise Http404
    return user


@login_required
def practices(request: HttpRequest, year: int) -> HttpResponse:
    user = _oversight_user(request)
    subjects = list(report_subjects(_announced_year(year)).order_by("kind", "name"))
    choices = [(s.pk, s.name) for s in subjects]
    form = GoodPracticeForm(request.POST or None, subjects=choices)
    if request.method == "POST" and form.is_valid():
        subject = get_object_or_404(Subject, pk=form.cleaned_data["subject"])
        if subject.pk not in dict(choices):
            raise Http404
        try:
            add_good_practice(
                actor=user,
                year=year,
                subject=subject,
                heading=form.cleaned_data["heading"],
                body=form.cleaned_data["body"],
            )
        except PracticeRefused as exc:
            form.add_error(None, REFUSALS[exc.code])
        else:
            messages.success(request, _("우수 사례를 추가했습니다."))
            return redirect("analytics:practices", year=year)
    existing = GoodPractice.objects.filter(year=year).select_related("subject")
    return render(
        request,
        "analytics/practices.html",
        {"year": year, "form": form, "practices": existing, "subjects": subjects},
    )


@login_required
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _oversight_user(request)
    practice = get_object_or_404(GoodPractice.objects.select_related("subject"), pk=pk)
    form = GoodPracticeForm(
        request.POST or None, initial={"heading": practice.heading, "body": practice.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_good_practice(
                actor=user,
                practice=practice,
                heading=form.cleaned_data["heading"],
                body=form.cleaned_data["body"],
            )
        except PracticeRefused as exc:
            form.add_error(None, REFUSALS[exc.code])
        else:
            messages.success(request, _("우수 사례를 고쳤습니다."))
            return redirect("analytics:practices", year=practice.year)
    return render(request, "analytics/practice_edit.html", {"practice": practice, "form": form})


@login_required
@require_POST
def practice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _oversight_user(request)
    practice = get_object_or_404(GoodPractice.objects.select_related("subject"), pk=pk)
    year = practice.year
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=str(_("우수 사례 삭제 확인")),
            consequences=[
                _("%(year)s년 연차 보고서에서 이 우수 사례를 지웁니다.") % {"year": year},
                str(_("지운 사례는 되살릴 수 없으니, 다시 실으려면 새로 써야 합니다.")),
            ],
            facts=[(str(_("대상")), practice.subject.name), (str(_("제목")), practice.heading)],
            back_url=reverse("analytics:practices", args=[year]),
            button=str(_("우수 사례 삭제 확정")),
        )
    delete_good_practice(actor=user, practice=practice)
    messages.success(
        request, _("우수 사례를 삭제했습니다: %(heading)s") % {"heading": practice.heading}
    )
    return redirect("analytics:practices", year=year)


# --- open data -------------------------------------------------------------------


def open_data(request: HttpRequest) -> HttpResponse:
    """The downloads, their licence (KOGL Type 1), when they last changed, and
    the data dictionary in Korean and English side by side."""
    fields = {}
    for slug in DATASETS:
        rows = dictionary(slug)
        with translation.override("ko"):
            korean = [(str(kind), str(meaning)) for _name, kind, meaning in rows]
        with translation.override("en"):
            english = [(str(kind), str(meaning)) for _name, kind, meaning in rows]
        fields[slug] = [(r[0], *k, *e) for r, k, e in zip(rows, korean, english, strict=True)]
    datasets = [(d, fields[d.slug]) for d in DATASETS.values()]
    return render(
        request,
        "analytics/open_data.html",
        {"datasets": datasets, "formats": list(FORMATS), "updated_at": open_data_updated_at()},
    )


def open_data_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = DATASETS.get(slug)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    response = HttpResponse(render_file(dataset.rows(), fmt, sheet=slug), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="smartcity-{slug}.{fmt}"'
    return response
