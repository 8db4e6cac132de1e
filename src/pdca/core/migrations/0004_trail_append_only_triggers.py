"""The database refuses to change or delete audit-trail entries and chain heads
(`pdca.core.append_only`): append-only no longer rests on the ORM alone."""

from django.db import migrations


def create_triggers(apps, schema_editor):
    from pdca.core import append_only

    append_only.install(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from pdca.core import append_only

    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_trail_sealed_with_a_key"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
