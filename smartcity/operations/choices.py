"""Fixed vocabularies of the integrated platform, with Korean labels.

Event types, grades and statuses are *not* here: they are data (tables seeded
from platform.md §4), because public code tables disagree and a centre must
be able to add a linkage without a release.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeSource(models.TextChoices):
    """Who sends events: the sender codes of the field protocol (platform.md §4)
    plus the disaster room, weather feeds and the city's own systems."""

    POLICE = "112", _("경찰 112")
    FIRE = "119", _("소방 119")
    CARRIER = "WP1", _("이동통신사(사회적 약자)")
    DISASTER = "disaster", _("재난안전상황실")
    WEATHER = "weather", _("기상 정보")
    CITY = "city", _("도시 자체 시스템")


class ActorKind(models.TextChoices):
    """Who may move an incident's status (status rows say which may set them)."""

    SENDER = "sender", _("연계 기관 시스템")
    OPERATOR = "operator", _("통합플랫폼 운영자")
    SYSTEM = "system", _("시스템")


class TimelineAction(models.TextChoices):
    REPORTED = "reported", _("상황 접수")
    UPDATED = "updated", _("정보 변경")
    ACKNOWLEDGED = "acknowledged", _("운영자 확인")
    STATUS_CHANGED = "status_changed", _("진행 상태 변경")
    NOTE_ADDED = "note_added", _("메모")
    HANDED_OVER = "handed_over", _("다른 센터로 이관")
    ROUTED = "routed", _("관할 센터로 전달")
    VIDEO_GRANTED = "video_granted", _("영상 제공")
    VIDEO_BREAK_GLASS = "video_break_glass", _("긴급 영상 열람(사후 통보)")
    VIDEO_EXTENDED = "video_extended", _("영상 제공 연장")
    VIDEO_REVOKED = "video_revoked", _("영상 제공 중단")
    VIDEO_ENDED = "video_ended", _("영상 제공 종료")


class Icon(models.TextChoices):
    """Map symbols (inline SVG, ``operations/partials/_icons.html``)."""

    POLICE = "police", _("경찰")
    PATROL = "patrol", _("순찰차")
    FIRE = "fire", _("소방")
    PERSON = "person", _("사회적 약자")
    DISASTER = "disaster", _("재난")
    WEATHER = "weather", _("기상")
    BELL = "bell", _("비상벨")
    TRAFFIC = "traffic", _("교통")
    FACILITY = "facility", _("시설물")
    PLATE = "plate", _("차량번호")
    HOME = "home", _("안심귀가")
    TAXI = "taxi", _("안심택시")
    CCTV = "cctv", _("CCTV")
    GENERAL = "general", _("일반")


class CameraPurposeChoice(models.TextChoices):
    """Mirrors ``domain.cctv_values.CameraPurpose`` with labels."""

    CRIME_PREVENTION = "crime_prevention", _("방범")
    TRAFFIC = "traffic", _("교통")
    FACILITY = "facility", _("시설물 관리")
    FIRE = "fire", _("화재 감시")
    CHILDREN = "children", _("어린이 보호")
    DISASTER = "disaster", _("재난·재해")
    MULTIPURPOSE = "multipurpose", _("다목적")
    OTHER = "other", _("기타")
    UNKNOWN = "unknown", _("미상")


class AgencyKindChoice(models.TextChoices):
    """Mirrors ``domain.video_rules.AgencyKind`` (and the organisation kinds)."""

    POLICE = "police", _("경찰(112 상황실)")
    FIRE = "fire", _("소방(119 상황실)")
    DISASTER_ROOM = "disaster_room", _("재난안전상황실")


class LegalGroundChoice(models.TextChoices):
    """Mirrors ``domain.video_rules.LegalGround``: why video may be provided."""

    CRIME_INVESTIGATION = "pipa_18_2_crime", _("개인정보 보호법 제18조제2항(범죄 수사)")
    URGENT_LIFE = "pipa_18_2_urgent", _("개인정보 보호법 제18조제2항(급박한 생명·신체·재산 보호)")
    DISASTER_ACT = "disaster_safety_act", _("재난 및 안전관리 기본법(재난 상황의 CCTV 정보 요청)")


class AccessStep(models.TextChoices):
    """What an access-log entry records."""

    REQUEST = "request", _("열람 요청(토큰 발급)")
    OPEN = "open", _("영상 열람 시작")
    BREAK_GLASS = "break_glass", _("긴급 열람 요청")
    GRANT = "grant", _("영상 제공 결정(거부)")
    EXTEND = "extend", _("영상 제공 연장(거부)")
    CLOSE = "close", _("영상 열람 종료")
