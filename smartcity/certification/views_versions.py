"""What changed between two versions of an application (and, for
``views_results.changes``, between an extension application and the one it
was pre-filled from): claim by claim and field by field."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from smartcity.certification.access import access_application
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.domain.versions import CLAIM_FIELDS, VersionDiff, diff_snapshots
from smartcity.certification.models import Application, ApplicationVersion, Attachment
from smartcity.frameworks.selectors import engine_framework

FIELD_LABELS = {
    "value": _("값"),
    "flag": _("충족 여부"),
    "stage": _("성숙도 단계"),
    "evidence": _("증빙 위치(파일·쪽)"),
    "justification": _("근거 설명"),
    "to_verify": _("현장 확인 대상"),
    "not_applicable": _("해당 없음"),
    "not_applicable_reason": _("해당 없음 사유"),
}


def diff_context(application: Application, diff: VersionDiff) -> dict[str, Any]:
    """The changed claims with their indicators and labelled fields, and the
    documents added and removed with their kinds' labels."""
    indicators = indicators_by_code(engine_framework(application.framework))
    kinds = dict(Attachment.Kind.choices)
    claims = [
        {
            "change": change,
            "indicator": indicators.get(change.indicator),
            "fields": [
                {"label": FIELD_LABELS.get(f.field, f.field), "before": f.before, "after": f.after}
                for f in change.fields
            ],
        }
        for change in diff.claims
    ]
    return {
        "diff": diff,
        "claims": claims,
        "added": [
            {**x, "kind_label": kinds.get(x["kind"], x["kind"])} for x in diff.attachments_added
        ],
        "removed": [
            {**x, "kind_label": kinds.get(x["kind"], x["kind"])} for x in diff.attachments_removed
        ],
    }


def _version(application: Application, number: int) -> ApplicationVersion:
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


@login_required
def version_diff(request: HttpRequest, application_id: int, a: int, b: int) -> HttpResponse:
    """What changed from version ``a`` to version ``b``, claim by claim and field by field."""
    application = access_application(request.user, application_id)
    before, after = _version(application, a), _version(application, b)
    return render(
        request,
        "certification/versions.html",
        {
            "application": application,
            "before": before,
            "after": after,
            **diff_context(application, diff_snapshots(before.snapshot, after.snapshot)),
            "versions": application.versions.order_by("number"),
            "claim_fields": CLAIM_FIELDS,
        },
    )
