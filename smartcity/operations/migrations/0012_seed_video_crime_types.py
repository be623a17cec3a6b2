"""Seed the crime types police may receive video for: the seven of the 2015
agreement with their variants and statutes, from the packaged table. From
here on the rule is data an administrator edits."""

import json
from pathlib import Path

from django.db import migrations

TABLE = Path(__file__).resolve().parent.parent / "vocabulary" / "video_crime_types.json"
BASIS = "2015년 경찰청·국토교통부 협약(7대 강력범죄), 개인정보 보호법 제18조제2항"
NAMES_EN = {
    "murder": "Murder", "robbery": "Robbery", "snatching": "Snatching and pickpocketing",
    "theft": "Theft", "kidnapping": "Kidnapping and confinement",
    "sexual_violence": "Sexual violence", "domestic_violence": "Domestic violence",
}  # fmt: skip


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    crime_type = apps.get_model("operations", "VideoCrimeType")
    variant = apps.get_model("operations", "VideoCrimeVariant")
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    for position, row in enumerate(data["types"], start=1):
        saved, _created = crime_type.objects.get_or_create(
            code=row["type"],
            defaults={"name_ko": row["name_ko"], "name_en": NAMES_EN.get(row["type"], ""),
                      "legal_ground": data["ground"], "legal_basis": BASIS,
                      "position": position},
        )  # fmt: skip
        for item in row["variants"]:
            variant.objects.get_or_create(
                crime_type=saved, name=item["name"], defaults={"law": item["law"]}
            )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("operations", "VideoCrimeVariant").objects.all().delete()
    apps.get_model("operations", "VideoCrimeType").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0011_video_crime_types")]

    operations = [migrations.RunPython(seed, unseed)]
