"""Framework documents: plain JSON/YAML-able dicts ↔ ``Framework``.

Decimals are written as strings ("12.5") so documents round-trip exactly:
``framework_from_dict(framework_to_dict(fw)) == fw``, and a document written by
``framework_to_dict`` comes back unchanged. Import reports every problem at
once (``FrameworkDocumentError``), structural ones first; a structurally
sound document is then checked with ``validate_framework``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import cast

from smartcity.scoring.docreader import DocumentReader, join
from smartcity.scoring.errors import FrameworkDocumentError, FrameworkError
from smartcity.scoring.model import (
    AGGREGATIONS,
    FRAMEWORK_KINDS,
    ROUNDING_MODES,
    Aggregation,
    Area,
    Framework,
    FrameworkKind,
    GradeBand,
    Indicator,
    Item,
    RoundingRule,
)
from smartcity.scoring.rules import (
    DEFAULT_STAGE_SHARES,
    DIRECTIONS,
    NORMALISATIONS,
    BandsRule,
    Direction,
    LinearRule,
    MaturityRule,
    Normalisation,
    NormalisedCountRule,
    Rule,
    YesNoRule,
)
from smartcity.scoring.validation import validate_framework

SCHEMA_VERSION = 1
Document = dict[str, object]

_FRAMEWORK_FIELDS = (
    "schema_version", "code", "kind", "year", "field", "version", "name_ko", "name_en",
    "reconstructed", "total_points", "quantitative_total", "qualitative_total",
    "certification_threshold", "aggregation", "rounding", "disagreement_spread",
    "grade_bands", "areas",
)  # fmt: skip
_INDICATOR_FIELDS = (
    "code", "name_ko", "name_en", "description_ko", "description_en", "points",
    "evidence_required", "rule",
)  # fmt: skip
_RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "bands": ("type", "direction", "bands"),
    "linear": ("type", "floor", "target", "direction"),
    "yes_no": ("type",),
    "normalised_count": ("type", "per", "scale", "rule"),
    "maturity": ("type", "stage_shares", "descriptors_ko", "descriptors_en"),
}


def framework_to_dict(framework: Framework) -> Document:
    """A plain document (str, int, bool, None, lists, dicts) for JSON or YAML."""
    return {
        "schema_version": SCHEMA_VERSION,
        "code": framework.code,
        "kind": framework.kind,
        "year": framework.year,
        "field": framework.field,
        "version": framework.version,
        "name_ko": framework.name_ko,
        "name_en": framework.name_en,
        "reconstructed": framework.reconstructed,
        "total_points": _optional(framework.total_points),
        "quantitative_total": _optional(framework.quantitative_total),
        "qualitative_total": _optional(framework.qualitative_total),
        "certification_threshold": str(framework.certification_threshold),
        "aggregation": framework.aggregation,
        "rounding": {"places": framework.rounding.places, "mode": framework.rounding.mode},
        "disagreement_spread": str(framework.disagreement_spread),
        "grade_bands": [
            {"grade": band.grade, "min_points": str(band.min_points)}
            for band in framework.grade_bands
        ],
        "areas": [
            {
                "code": area.code,
                "name_ko": area.name_ko,
                "name_en": area.name_en,
                "items": [
                    {
                        "code": item.code,
                        "name_ko": item.name_ko,
                        "name_en": item.name_en,
                        "indicators": [_indicator_to_dict(i) for i in item.indicators],
                    }
                    for item in area.items
                ],
            }
            for area in framework.areas
        ],
    }


def _optional(value: Decimal | None) -> str | None:
    """A Decimal as a string; None stays None."""
    return None if value is None else str(value)


def _indicator_to_dict(indicator: Indicator) -> Document:
    """One indicator as a document."""
    return {
        "code": indicator.code,
        "name_ko": indicator.name_ko,
        "name_en": indicator.name_en,
        "description_ko": indicator.description_ko,
        "description_en": indicator.description_en,
        "points": str(indicator.points),
        "evidence_required": indicator.evidence_required,
        "rule": rule_to_dict(indicator.rule),
    }


def rule_to_dict(rule: Rule) -> Document:
    """One rule as a document, tagged by ``type``."""
    document: Document = {"type": rule.rule_type}
    if isinstance(rule, BandsRule):
        document["direction"] = rule.direction
        document["bands"] = [{"threshold": str(t), "share": str(s)} for t, s in rule.bands]
    elif isinstance(rule, LinearRule):
        document.update(floor=str(rule.floor), target=str(rule.target), direction=rule.direction)
    elif isinstance(rule, NormalisedCountRule):
        document.update(per=rule.per, scale=str(rule.scale), rule=rule_to_dict(rule.rule))
    elif isinstance(rule, MaturityRule):
        document["stage_shares"] = [str(share) for share in rule.stage_shares]
        document["descriptors_ko"] = list(rule.descriptors_ko)
        document["descriptors_en"] = list(rule.descriptors_en)
    return document


def framework_from_dict(document: object, *, validate: bool = True) -> Framework:
    """A Framework from a document; every problem is raised together, with its path.

    With ``validate`` (the default) the framework must also pass
    ``validate_framework``: an imported framework is about to score real cities.
    """
    if not isinstance(document, Mapping):
        problem = FrameworkError("", "framework", "expected_object", type(document).__name__)
        raise FrameworkDocumentError((problem,))
    reader = DocumentReader()
    framework = _framework(reader, document)
    if reader.errors:
        raise FrameworkDocumentError(tuple(reader.errors))
    problems = validate_framework(framework) if validate else []
    if problems:
        raise FrameworkDocumentError(tuple(problems))
    return framework


def _framework(reader: DocumentReader, document: Mapping[str, object]) -> Framework:
    """Read the top level; the subject of its problems is the framework's code."""
    subject = _subject(document, "framework")
    data = reader.mapping(document, "", subject, _FRAMEWORK_FIELDS)
    version = reader.integer(data, "schema_version", "", subject, default=SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        reader.fail("schema_version", subject, "unsupported_schema_version", str(version))
    rounding = reader.mapping(data.get("rounding", {}), "rounding", subject, ("places", "mode"))
    return Framework(
        code=reader.text(data, "code", "", subject),
        kind=cast(FrameworkKind, reader.choice(data, "kind", "", subject, FRAMEWORK_KINDS)),
        year=reader.integer(data, "year", "", subject),
        field=reader.optional_text(data, "field", "", subject),
        version=reader.text(data, "version", "", subject),
        areas=tuple(
            _area(reader, area, join("areas", index))
            for index, area in enumerate(reader.sequence(data, "areas", "", subject))
        ),
        grade_bands=tuple(
            _grade_band(reader, band, join("grade_bands", index), subject)
            for index, band in enumerate(reader.sequence(data, "grade_bands", "", subject))
        ),
        certification_threshold=reader.decimal(data, "certification_threshold", "", subject),
        aggregation=cast(
            Aggregation,
            reader.choice(data, "aggregation", "", subject, AGGREGATIONS, default="mean"),
        ),
        rounding=RoundingRule(
            places=reader.integer(rounding, "places", "rounding", subject, default=2),
            mode=reader.choice(
                rounding, "mode", "rounding", subject, ROUNDING_MODES, default="ROUND_HALF_UP"
            ),
        ),
        disagreement_spread=reader.decimal(data, "disagreement_spread", "", subject, default="0.3"),
        reconstructed=reader.boolean(data, "reconstructed", "", subject, default=False),
        name_ko=reader.text(data, "name_ko", "", subject, default=""),
        name_en=reader.text(data, "name_en", "", subject, default=""),
        total_points=reader.optional_decimal(data, "total_points", "", subject),
        quantitative_total=reader.optional_decimal(data, "quantitative_total", "", subject),
        qualitative_total=reader.optional_decimal(data, "qualitative_total", "", subject),
    )


def _subject(data: Mapping[str, object], path: str) -> str:
    """The entry's code when it has a readable one, else its path."""
    code = data.get("code")
    return code if isinstance(code, str) and code else path


def _grade_band(reader: DocumentReader, value: object, path: str, subject: str) -> GradeBand:
    """One grade band."""
    data = reader.mapping(value, path, subject, ("grade", "min_points"))
    return GradeBand(
        grade=reader.integer(data, "grade", path, subject),
        min_points=reader.decimal(data, "min_points", path, subject),
    )


def _area(reader: DocumentReader, value: object, path: str) -> Area:
    """One area and its items."""
    data = reader.mapping(value, path, path, ("code", "name_ko", "name_en", "items"))
    subject = _subject(data, path)
    return Area(
        code=reader.text(data, "code", path, subject),
        name_ko=reader.text(data, "name_ko", path, subject),
        name_en=reader.text(data, "name_en", path, subject),
        items=tuple(
            _item(reader, item, join(join(path, "items"), index))
            for index, item in enumerate(reader.sequence(data, "items", path, subject))
        ),
    )


def _item(reader: DocumentReader, value: object, path: str) -> Item:
    """One evaluation item and its indicators."""
    data = reader.mapping(value, path, path, ("code", "name_ko", "name_en", "indicators"))
    subject = _subject(data, path)
    return Item(
        code=reader.text(data, "code", path, subject),
        name_ko=reader.text(data, "name_ko", path, subject),
        name_en=reader.text(data, "name_en", path, subject),
        indicators=tuple(
            _indicator(reader, indicator, join(join(path, "indicators"), index))
            for index, indicator in enumerate(reader.sequence(data, "indicators", path, subject))
        ),
    )


def _indicator(reader: DocumentReader, value: object, path: str) -> Indicator:
    """One indicator; its problems name it by code."""
    data = reader.mapping(value, path, path, _INDICATOR_FIELDS)
    subject = _subject(data, path)
    return Indicator(
        code=reader.text(data, "code", path, subject),
        name_ko=reader.text(data, "name_ko", path, subject),
        name_en=reader.text(data, "name_en", path, subject),
        description_ko=reader.text(data, "description_ko", path, subject, default=""),
        description_en=reader.text(data, "description_en", path, subject, default=""),
        points=reader.decimal(data, "points", path, subject),
        evidence_required=reader.text(data, "evidence_required", path, subject, default=""),
        rule=_rule(reader, data.get("rule"), join(path, "rule"), subject),
    )


def _rule(
    reader: DocumentReader,
    value: object,
    path: str,
    subject: str,
    allowed: tuple[str, ...] = tuple(_RULE_FIELDS),
) -> Rule:
    """One rule, dispatched on its ``type`` tag (placeholders after problems)."""
    placeholder = BandsRule("higher_better", ())
    if not isinstance(value, Mapping):
        problem = "missing" if value is None else "expected_object"
        reader.fail(path, subject, problem, "" if value is None else type(value).__name__)
        return placeholder
    rule_type = reader.text(value, "type", path, subject)
    if rule_type not in allowed:
        problem = (
            "unknown_rule_type" if rule_type not in _RULE_FIELDS else "unsupported_nested_rule"
        )
        if rule_type:
            reader.fail(join(path, "type"), subject, problem, rule_type)
        return placeholder
    data = reader.mapping(value, path, subject, _RULE_FIELDS[rule_type])
    if rule_type == "bands":
        return BandsRule(
            direction=_direction(reader, data, path, subject),
            bands=tuple(
                _band(reader, band, join(join(path, "bands"), index), subject)
                for index, band in enumerate(reader.sequence(data, "bands", path, subject))
            ),
        )
    if rule_type == "linear":
        return LinearRule(
            floor=reader.decimal(data, "floor", path, subject),
            target=reader.decimal(data, "target", path, subject),
            direction=_direction(reader, data, path, subject),
        )
    if rule_type == "normalised_count":
        per = reader.choice(data, "per", path, subject, NORMALISATIONS)
        nested = _rule(reader, data.get("rule"), join(path, "rule"), subject, ("bands", "linear"))
        return NormalisedCountRule(
            per=cast(Normalisation, per),
            scale=reader.decimal(data, "scale", path, subject),
            rule=cast(BandsRule | LinearRule, nested),
        )
    if rule_type == "maturity":
        return _maturity(reader, data, path, subject)
    return YesNoRule()


def _direction(
    reader: DocumentReader, data: Mapping[str, object], path: str, subject: str
) -> Direction:
    """``higher_better`` or ``lower_better``."""
    return cast(Direction, reader.choice(data, "direction", path, subject, DIRECTIONS))


def _band(
    reader: DocumentReader, value: object, path: str, subject: str
) -> tuple[Decimal, Decimal]:
    """One ``{threshold, share}`` band."""
    data = reader.mapping(value, path, subject, ("threshold", "share"))
    return (
        reader.decimal(data, "threshold", path, subject),
        reader.decimal(data, "share", path, subject),
    )


def _maturity(
    reader: DocumentReader, data: Mapping[str, object], path: str, subject: str
) -> MaturityRule:
    """A maturity rule; ``stage_shares`` defaults to k/5, descriptors to none."""
    shares = DEFAULT_STAGE_SHARES
    if "stage_shares" in data:
        shares = tuple(
            reader.parse_decimal(share, join(join(path, "stage_shares"), index), subject)
            for index, share in enumerate(reader.sequence(data, "stage_shares", path, subject))
        )
    return MaturityRule(
        stage_shares=shares,
        descriptors_ko=_texts(reader, data, "descriptors_ko", path, subject),
        descriptors_en=_texts(reader, data, "descriptors_en", path, subject),
    )


def _texts(
    reader: DocumentReader, data: Mapping[str, object], key: str, path: str, subject: str
) -> tuple[str, ...]:
    """An optional list of strings."""
    if key not in data:
        return ()
    texts: list[str] = []
    for index, text in enumerate(reader.sequence(data, key, path, subject)):
        if isinstance(text, str):
            texts.append(text)
        else:
            reader.fail(join(join(path, key), index), subject, "expected_string")
    return tuple(texts)
