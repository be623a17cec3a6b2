"""Small template helpers used across apps."""

from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, object] | None, key: str) -> object:
    """``{{ dict|get_item:key }}`` — a dictionary lookup with a variable key."""
    if not mapping:
        return ()
    return mapping.get(key, ())


@register.filter
def claim_value(value: object) -> object:
    """A claimed value for people: yes/no in words, nothing as a dash."""
    if value is True:
        return _("예")
    if value is False:
        return _("아니오")
    if value is None:
        return "—"
    return value
