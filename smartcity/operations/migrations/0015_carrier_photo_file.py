from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("operations", "0014_incident_acknowledgement")]

    operations = [
        migrations.AddField(
            model_name="carriercase",
            name="photo_file",
            field=models.CharField(blank=True, max_length=40, verbose_name="사진 파일"),
        ),
    ]
