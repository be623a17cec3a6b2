"""Pure rules of the disaster-area and vulnerable-person services (no database)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from smartcity.operations.domain.areas import AreaInvalid, circle, polygon_from_geojson
from smartcity.operations.domain.carrier import TrailPoint, last_positions, mask_phone, purge_due

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
SQUARE = [[127.0, 37.5], [127.01, 37.5], [127.01, 37.51], [127.0, 37.51], [127.0, 37.5]]


def test_a_geojson_polygon_becomes_an_open_lat_lon_ring() -> None:
    area = polygon_from_geojson(json.dumps({"type": "Polygon", "coordinates": [SQUARE]}))
    assert area.ring == ((37.5, 127.0), (37.5, 127.01), (37.51, 127.01), (37.51, 127.0))
    assert area.as_geojson()["coordinates"][0][0] == area.as_geojson()["coordinates"][0][-1]


def test_a_feature_holding_a_polygon_is_accepted() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
               "coordinates": [SQUARE]}}  # fmt: skip
    assert len(polygon_from_geojson(feature).ring) == 4


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "not_json"),
        ('{"type": "Point", "coordinates": [127, 37]}', "not_a_polygon"),
        ('{"type": "Polygon", "coordinates": [[[127, 37], [127.1, 37], [127, 37]]]}',
         "too_few_vertices"),
        ('{"type": "Polygon", "coordinates": [[[127, 95], [127.1, 37], [127, 37.1]]]}',
         "bad_position"),
        ('{"type": "Polygon", "coordinates": [[["a", 37], [127.1, 37], [127, 37.1]]]}',
         "bad_position"),
    ],
)  # fmt: skip
def test_unusable_polygons_are_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(AreaInvalid) as refused:
        polygon_from_geojson(text)
    assert refused.value.code == code


def test_a_circle_needs_a_valid_centre_and_a_bounded_radius() -> None:
    assert circle(37.5, 127.0, 500).radius_m == 500.0
    for lat, lon, radius, code in [(91, 127, 10, "bad_centre"), (37.5, 127, 0, "bad_radius"),
                                   (37.5, 127, 1e9, "bad_radius")]:  # fmt: skip
        with pytest.raises(AreaInvalid) as refused:
            circle(lat, lon, radius)
        assert refused.value.code == code


def test_the_latest_positions_come_newest_first() -> None:
    trail = [TrailPoint(37.5, 127.0 + i / 1000, T0 + dt.timedelta(minutes=i)) for i in range(5)]
    shuffled = [trail[3], trail[0], trail[4], trail[1], trail[2]]
    assert last_positions(shuffled, 2) == [trail[4], trail[3]]
    assert last_positions(trail, 0) == []


def test_personal_data_is_due_for_deletion_only_after_close_and_retention() -> None:
    assert not purge_due(closed_at=None, now=T0 + dt.timedelta(days=999), retention_hours=1)
    assert not purge_due(closed_at=T0, now=T0 + dt.timedelta(hours=71), retention_hours=72)
    assert purge_due(closed_at=T0, now=T0 + dt.timedelta(hours=72), retention_hours=72)
    assert purge_due(closed_at=T0, now=T0, retention_hours=0)


def test_a_phone_number_is_masked_but_for_its_last_four_digits() -> None:
    assert mask_phone("010-1234-5678") == "***-****-5678"
    assert mask_phone("") == ""
