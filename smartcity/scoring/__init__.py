"""smartcity.scoring — the pure Python scoring engine for smart city certification.

It imports nothing from Django nor from any other smartcity package: a Django
app maps its rows to the frozen dataclasses of ``model`` and ``rules``, calls
``score`` and stores the result with ``engine_version`` and ``framework_hash``
so any past score can be reproduced. All arithmetic is exact; traces are
message codes, translated by templates.
"""

from smartcity.scoring.batch import (
    ApplicantRow,
    BatchOutcome,
    CsvError,
    parse_observations_csv,
    score_many,
)
from smartcity.scoring.document import framework_from_dict, framework_to_dict
from smartcity.scoring.engine import ENGINE_VERSION, score
from smartcity.scoring.errors import (
    DuplicateObservationError,
    DuplicateReviewError,
    FrameworkDocumentError,
    FrameworkError,
    InvalidEffortError,
    InvalidMemberScoreError,
    InvalidStageError,
    InvalidValueError,
    MissingContextError,
    ScoringError,
    ScoringInputError,
    UnknownIndicatorError,
    WrongValueTypeError,
)
from smartcity.scoring.hashing import framework_hash
from smartcity.scoring.inputs import Observation, Review, ScoringContext
from smartcity.scoring.model import Area, Framework, GradeBand, Indicator, Item, RoundingRule
from smartcity.scoring.results import (
    AreaResult,
    IndicatorResult,
    ItemResult,
    ScoreResult,
    TraceEntry,
)
from smartcity.scoring.robustness import RobustnessResult, grade_robustness
from smartcity.scoring.rules import (
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    Rule,
    YesNoRule,
)
from smartcity.scoring.serialize import score_result_to_dict
from smartcity.scoring.shipped import (
    Crosswalk,
    CrosswalkEntry,
    crosswalk_2021_2023,
    crosswalk_problems,
    shipped_framework,
    shipped_frameworks,
)
from smartcity.scoring.steps import Option, improvement_options
from smartcity.scoring.validation import validate_framework
from smartcity.scoring.whatif import WhatIfResult, WhatIfStep, what_if

__all__ = [
    "ENGINE_VERSION",
    "ApplicantRow",
    "Area",
    "AreaResult",
    "BandsRule",
    "BatchOutcome",
    "Crosswalk",
    "CrosswalkEntry",
    "CsvError",
    "DuplicateObservationError",
    "DuplicateReviewError",
    "Framework",
    "FrameworkDocumentError",
    "FrameworkError",
    "GradeBand",
    "Indicator",
    "IndicatorResult",
    "InvalidEffortError",
    "InvalidMemberScoreError",
    "InvalidStageError",
    "InvalidValueError",
    "Item",
    "ItemResult",
    "LinearRule",
    "MaturityRule",
    "MissingContextError",
    "NormalisedCountRule",
    "Observation",
    "Option",
    "Review",
    "RobustnessResult",
    "RoundingRule",
    "Rule",
    "ScoreResult",
    "ScoringContext",
    "ScoringError",
    "ScoringInputError",
    "TraceEntry",
    "UnknownIndicatorError",
    "WhatIfResult",
    "WhatIfStep",
    "WrongValueTypeError",
    "YesNoRule",
    "crosswalk_2021_2023",
    "crosswalk_problems",
    "framework_from_dict",
    "framework_hash",
    "framework_to_dict",
    "grade_robustness",
    "improvement_options",
    "parse_observations_csv",
    "score",
    "score_many",
    "score_result_to_dict",
    "shipped_framework",
    "shipped_frameworks",
    "validate_framework",
    "what_if",
]
