"""A nonconformity's source becomes a generic link (content type and id) instead of a foreign
key to audits' findings, so that any registered module can raise nonconformities."""

import django.db.models.deletion
from django.db import migrations, models


def findings_to_generic(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Nonconformity = apps.get_model("improvement", "Nonconformity")
    raised = Nonconformity.objects.filter(source_finding__isnull=False)
    if not raised.exists():
        return
    finding, _ = ContentType.objects.get_or_create(app_label="audits", model="finding")
    raised.update(source_type=finding, source_id=models.F("source_finding_id"))


def generic_to_findings(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Nonconformity = apps.get_model("improvement", "Nonconformity")
    finding = ContentType.objects.filter(app_label="audits", model="finding").first()
    if finding is not None:
        Nonconformity.objects.filter(source_type=finding).update(
            source_finding_id=models.F("source_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("improvement", "0003_nonconformity_analysis_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="nonconformity",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="nonconformity",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.RunPython(findings_to_generic, generic_to_findings),
        migrations.RemoveField(model_name="nonconformity", name="source_finding"),
        migrations.AddConstraint(
            model_name="nonconformity",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_id__isnull", False)),
                fields=("source_type", "source_id"),
                name="nc_one_per_source",
            ),
        ),
    ]
