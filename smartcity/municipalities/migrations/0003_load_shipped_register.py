"""Load the 243 local governments and their shipped census population.

The register is reference data the product cannot work without (every
certification names a local government), so a fresh database has it as soon
as it is migrated. ``smartcity municipalities load`` refreshes it later, and
``import-population`` adds the Ministry of the Interior's yearly counts.
"""

from django.db import migrations


def load(apps, schema_editor):
    from smartcity.municipalities.domain.register import (
        SHIPPED_CENSUS_YEARS,
        load_shipped_population,
        load_shipped_register,
    )

    municipality_model = apps.get_model("municipalities", "Municipality")
    count_model = apps.get_model("municipalities", "PopulationCount")
    if municipality_model.objects.exists():
        return
    governments = sorted(load_shipped_register(), key=lambda g: (g.parent_code is not None, g.code))
    by_code = {}
    for gov in governments:
        by_code[gov.code] = municipality_model.objects.create(
            code=gov.code,
            name_ko=gov.name_ko,
            full_name_ko=gov.full_name_ko,
            name_en=gov.name_en or "",
            type=str(gov.type),
            parent=by_code.get(gov.parent_code) if gov.parent_code else None,
        )
    count_model.objects.bulk_create(
        count_model(
            municipality=by_code[r.code],
            reference_date=r.reference_date,
            population=r.population,
            source=r.source[:200],
        )
        for year in SHIPPED_CENSUS_YEARS
        for r in load_shipped_population(year)
        if r.code in by_code
    )


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0002_size_class_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
