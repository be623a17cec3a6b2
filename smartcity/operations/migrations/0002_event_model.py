"""Seed the event model of deployed platforms (platform.md §4) as data.

Codes follow the public field protocol; where public tables disagree, a
centre edits these rows rather than the code. Each type names the sender
allowed to report it and its map symbol.
"""

from django.db import migrations

GRADES = [
    # code, Korean, English, urgent, order
    ("10", "긴급", "Urgent", True, 10),
    ("20", "일반", "Normal", False, 20),
]

STATUSES = [
    # code, Korean, English, sequence, initial, final, repeatable, sender, operator, system
    ("10", "발생", "Occurred", 10, True, False, False, True, False, False),
    ("40", "정보변경", "Information changed", 40, False, False, True, True, True, False),
    ("50", "관제해제", "Monitoring released", 50, False, False, False, True, True, False),
    ("91", "종료", "Closed", 91, False, True, False, True, True, False),
    ("92", "자동종료", "Auto-closed", 92, False, True, False, False, False, True),
]

TYPES = [
    # code, Korean, English, sender, icon, default grade
    ("112UC001", "112 긴급영상 지원", "112 emergency video", "112", "police", "10"),
    ("112UC120", "112 긴급출동 지원", "112 emergency dispatch", "112", "patrol", "10"),
    ("112UC110", "112 차량 위치", "112 vehicle position", "112", "patrol", "20"),
    ("119UC001", "119 긴급출동 지원", "119 emergency dispatch", "119", "fire", "10"),
    ("WPSSF110", "사회적 약자 지원", "Vulnerable person", "WP1", "person", "10"),
    ("DUCDP110", "긴급재난상황 지원", "Disaster emergency support", "disaster", "disaster", "10"),
    ("APLEN110", "기상특보", "Weather warning", "weather", "weather", "20"),
    ("WESEN110", "기상특보(지진·해일)", "Weather warning (earthquake, tsunami)", "weather", "weather", "20"),
    ("EBSCP110", "비상벨", "Emergency bell", "city", "bell", "10"),
    ("SEBSF110", "비상벨(안전)", "Emergency bell (safety)", "city", "bell", "10"),
    ("TUATR100", "교통 돌발상황", "Traffic incident", "city", "traffic", "20"),
    ("FCLFT101", "시설물 이상", "Facility fault", "city", "facility", "20"),
    ("LPRUM120", "차량번호 인식(수배차량)", "Licence plate recognition (wanted vehicle)", "city", "plate", "20"),
    ("FMSFT110", "차량번호 인식", "Licence plate recognition", "city", "plate", "20"),
    ("POCCP103", "안심귀가", "Safe return home", "city", "home", "20"),
    ("STLSF110", "안심택시", "Safe taxi", "city", "taxi", "20"),
    ("MTSUC210", "방범", "Crime prevention", "city", "police", "20"),
    ("MTSUC220", "방재", "Disaster prevention", "city", "disaster", "20"),
    ("MTSUC230", "안전", "Safety", "city", "general", "20"),
    ("MTSUC240", "CCTV", "CCTV", "city", "cctv", "20"),
    ("MTSUC250", "일반 시설물", "General facility", "city", "facility", "20"),
]  # fmt: skip


def seed(apps, schema_editor):
    grade_model = apps.get_model("operations", "EventGrade")
    status_model = apps.get_model("operations", "EventStatus")
    type_model = apps.get_model("operations", "EventType")
    for code, ko, en, urgent, order in GRADES:
        grade_model.objects.update_or_create(
            code=code, defaults={"name_ko": ko, "name_en": en, "is_urgent": urgent, "sort_order": order}
        )
    for code, ko, en, seq, initial, final, repeatable, sender, operator, system in STATUSES:
        status_model.objects.update_or_create(
            code=code,
            defaults={
                "name_ko": ko, "name_en": en, "sequence": seq, "sort_order": seq,
                "is_initial": initial, "is_final": final, "is_repeatable": repeatable,
                "settable_by_sender": sender, "settable_by_operator": operator,
                "settable_by_system": system,
            },
        )
    for order, (code, ko, en, source, icon, grade) in enumerate(TYPES):
        type_model.objects.update_or_create(
            code=code,
            defaults={
                "name_ko": ko, "name_en": en, "source": source, "icon": icon,
                "default_grade_id": grade, "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("operations", "EventType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("operations", "EventStatus").objects.filter(code__in=[s[0] for s in STATUSES]).delete()
    apps.get_model("operations", "EventGrade").objects.filter(code__in=[g[0] for g in GRADES]).delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
