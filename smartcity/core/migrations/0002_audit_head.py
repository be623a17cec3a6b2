from django.db import migrations

GENESIS_HASH = "0" * 64


def seed(apps, schema_editor):
    apps.get_model("core", "AuditHead").objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
