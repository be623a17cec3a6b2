"""``{% workflow_panel application %}``: the workflow panel on any application page."""

from __future__ import annotations

from typing import Any

from django import template

from smartcity.certification.messages import action_label, status_label
from smartcity.certification.models import Application
from smartcity.certification.views_workflow import workflow_panel as panel_context

register = template.Library()


@register.inclusion_tag("certification/partials/_workflow.html", takes_context=True)
def workflow_panel(context: template.Context, application: Application) -> dict[str, Any]:
    request = context["request"]
    data = panel_context(request.user, application, next_url=request.get_full_path())
    data["csrf_token"] = context.get("csrf_token")
    data["request"] = request
    return data


@register.filter
def status_name(value: str) -> str:
    return status_label(value)


@register.filter
def action_name(value: str) -> str:
    return action_label(value)
