"""On PostgreSQL, a GIN index over the events of group rows (ADR 0023), so the
audit log's filter by object or event finds an event inside a group row
without reading every row. SQLite has no JSON index; it unnests the events
(``core.selectors.audit_events``)."""

from django.db import migrations

INDEX = "audit_group_events_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("core", "AuditEvent")._meta.db_table)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} "
            "USING gin ((data -> 'chained_events') jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_keyed_chain")]
    operations = [migrations.RunPython(create, drop)]
