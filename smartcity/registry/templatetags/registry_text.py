"""Names on the public record in the reader's language: places (the
municipality register's English names) and sources (``domain.sources``)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcity.registry.domain.sources import read_source
from smartcity.registry.models import Subject

register = template.Library()


@register.filter
def place_name(subject: Subject) -> str:
    """A subject's name; in English a city's name from the register (if it has one)."""
    municipality = subject.municipality if subject.kind == "city" else None
    if municipality is not None and get_language() == "en" and municipality.name_en:
        return municipality.name_en
    return subject.name


@register.filter
def source_label(text: str) -> str:
    """A decision's source named in the reader's language."""
    source = read_source(text or "")
    if source.kind != "press_release":
        return source.text
    if source.number:
        return _("%(year)s년 국토교통부 보도자료(%(number)s)") % {
            "year": source.year,
            "number": source.number,
        }
    return _("%(year)s년 국토교통부 보도자료") % {"year": source.year}
