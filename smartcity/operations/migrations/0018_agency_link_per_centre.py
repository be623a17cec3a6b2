"""An agency's link to a centre becomes a row of its own (``AgencyLink``) on
the table the plain many-to-many made, so a centre can stop its link alone
(ADR 0019). No data moves: every existing link stays, running."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("operations", "0017_camera_import_progress"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table, its columns, indexes and unique pair exist already.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AgencyLink",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("agency", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="links",
                            to="operations.agency")),
                        ("tenant", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="agency_links", to="operations.tenant")),
                    ],
                    options={
                        "verbose_name": "센터와 연계 기관의 연결",
                        "verbose_name_plural": "센터와 연계 기관의 연결",
                        "db_table": "operations_agency_tenants",
                        "unique_together": {("agency", "tenant")},
                    },
                ),
                migrations.AlterField(
                    model_name="agency",
                    name="tenants",
                    field=models.ManyToManyField(
                        blank=True, related_name="agencies", through="operations.AgencyLink",
                        to="operations.tenant", verbose_name="연계 센터"),
                ),
            ],
        ),
        migrations.AddField(
            model_name="agencylink",
            name="stopped_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="이 센터에서 중지한 일시"),
        ),
        migrations.AddField(
            model_name="agencylink",
            name="stopped_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
    ]
