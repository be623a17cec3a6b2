"""Writes for committee work (the only write path): committees, conflicts,
assignments, member scores, the discussion, consensus and the site inspection."""

from smartcity.certification.evaluation.services.assignments import (
    assign_member,
    auto_assign,
    unassign_member,
)
from smartcity.certification.evaluation.services.committees import (
    add_member,
    create_committees,
    groups_of,
    remove_member,
)
from smartcity.certification.evaluation.services.common import EvaluationRefused
from smartcity.certification.evaluation.services.conflicts import declare_conflict, detect_conflicts
from smartcity.certification.evaluation.services.consensus import fix_consensus, recompute_consensus
from smartcity.certification.evaluation.services.inspection import (
    record_inspection,
    start_inspection,
)
from smartcity.certification.evaluation.services.reviews import (
    post_comment,
    record_member_score,
    reopen_review,
    submit_review,
)

__all__ = [
    "EvaluationRefused",
    "add_member",
    "assign_member",
    "auto_assign",
    "create_committees",
    "declare_conflict",
    "detect_conflicts",
    "fix_consensus",
    "groups_of",
    "post_comment",
    "recompute_consensus",
    "record_inspection",
    "record_member_score",
    "remove_member",
    "reopen_review",
    "start_inspection",
    "submit_review",
    "unassign_member",
]
