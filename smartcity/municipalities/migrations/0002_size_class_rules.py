"""Seed the two size-class rules the public record shows (certification.md §2)."""

from django.db import migrations

RULES = [
    {
        "code": "2021",
        "first_call_year": 2021,
        "threshold": 500_000,
        "always_large_types": [
            "special_city",
            "metropolitan_city",
            "special_self_governing_city",
            "special_self_governing_province",
            "province",
        ],
        "always_small_types": ["county", "autonomous_district"],
        "description_ko": "특별시·광역시·특별자치시·도는 대도시, 인구 50만 이상 시는 대도시, "
        "그 밖의 시·군·구는 중소도시.",
        "description_en": "Special/metropolitan cities and special self-governing cities or "
        "provinces are large; cities of 500,000 or more are large; other cities, counties "
        "and districts are small/medium.",
    },
    {
        "code": "2024",
        "first_call_year": 2024,
        "threshold": 500_000,
        "always_large_types": ["special_city", "metropolitan_city", "province"],
        "always_small_types": ["county", "autonomous_district"],
        "description_ko": "특별자치시·특별자치도도 인구 50만 기준으로 구분(2024년 세종시 중소도시 인증). "
        "군·자치구는 인구와 관계없이 중소도시.",
        "description_en": "Population decides for special self-governing cities and provinces "
        "too (Sejong certified as small/medium in 2024). Counties and districts are always "
        "small/medium.",
    },
]


def seed(apps, schema_editor):
    rule_model = apps.get_model("municipalities", "SizeClassRule")
    for rule in RULES:
        rule_model.objects.update_or_create(code=rule["code"], defaults=rule)


def unseed(apps, schema_editor):
    apps.get_model("municipalities", "SizeClassRule").objects.filter(
        code__in=[r["code"] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
