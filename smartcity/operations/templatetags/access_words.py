"""The access log's codes in words (Korean source, English through gettext)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from smartcity.operations.messages import close_reason_label, video_refusal_message

register = template.Library()


@register.filter
def refusal_words(code: str) -> str:
    """A refusal code as the sentence the officer saw."""
    return video_refusal_message(code) if code else ""


@register.filter
def close_words(code: str) -> str:
    """A viewing session's end reason in a few words."""
    return close_reason_label(code) if code else ""


@register.filter
def review_flag(flag: str) -> str:
    """A monthly-review flag (``kind:subject``) as a sentence."""
    kind, _sep, subject = flag.partition(":")
    if kind == "repeated_refusals":
        text = _(
            "%(officer)s 담당자의 열람이 이번 달 여러 번 거부되었습니다. "
            "권한 확인이나 화면 방치 여부를 점검하세요."
        )
        return text % {"officer": subject}
    return flag
