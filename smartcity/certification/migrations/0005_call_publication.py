"""Calls are drafted, then published; the notice and the approval deadline.

Calls that exist already were published when they were made, so they are
marked published; a new call starts as a draft.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0004_claim_not_applicable"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="status",
            field=models.CharField(
                choices=[("draft", "작성 중(비공개)"), ("published", "공고됨")],
                default="published",
                max_length=10,
                verbose_name="공고 상태",
            ),
        ),
        migrations.AlterField(
            model_name="call",
            name="status",
            field=models.CharField(
                choices=[("draft", "작성 중(비공개)"), ("published", "공고됨")],
                default="draft",
                max_length=10,
                verbose_name="공고 상태",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="공고 게시 일시"),
        ),
        migrations.AddField(
            model_name="call",
            name="notice",
            field=models.TextField(blank=True, verbose_name="공고문"),
        ),
        migrations.AddField(
            model_name="call",
            name="approval_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="승인 기한"),
        ),
    ]
