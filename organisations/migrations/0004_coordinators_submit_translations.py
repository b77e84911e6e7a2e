"""Network coordinators may submit network pages for translation (wagtail-localize); no other role may.

Their page permissions on the root page already cover the English and French page trees.
"""

from django.db import migrations

COORDINATORS = "Network coordinators"


def _submit_translation(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="wagtail_localize", codename="submit_translation")


def grant(apps, schema_editor):
    coordinators, _ = apps.get_model("auth", "Group").objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(_submit_translation(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=COORDINATORS):
        group.permissions.remove(_submit_translation(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_api_keys"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
