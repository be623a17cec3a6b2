"""Which self-assessment indicators the platform record can evidence, and
with what (no Django).

An indicator matches by its Korean name, since framework versions renumber
indicators but keep their names: "…연계 서비스 수" is offered the number of
linked safety-net services; "…통합운영센터 구축·운영" (yes/no) is offered
"yes" when the city runs the platform through a centre. The applicant still
decides: the page only offers the figure with its source and date.
"""

from __future__ import annotations

from dataclasses import dataclass

LINKED_SERVICES = "linked_services"
CENTRE_RUNNING = "centre_running"


@dataclass(frozen=True)
class IndicatorFacts:
    code: str
    name_ko: str
    rule_type: str


def evidence_kind(indicator: IndicatorFacts) -> str:
    """``LINKED_SERVICES``, ``CENTRE_RUNNING`` or ``""`` (nothing to offer)."""
    name = indicator.name_ko.replace(" ", "")
    if "연계서비스수" in name and indicator.rule_type != "yes_no":
        return LINKED_SERVICES
    if "통합운영센터구축" in name and indicator.rule_type == "yes_no":
        return CENTRE_RUNNING
    return ""
