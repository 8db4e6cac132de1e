"""Load the shipped clause catalogues, so that `migrate` gives every installation the standards.

Runs the same loader as `pdca load-catalogues`, on the historical models of this migration.
"""

from django.db import migrations


def load(apps, schema_editor):
    from pdca.standards.catalogue import load_catalogues

    load_catalogues(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
