"""The English and French content locales; the Dutch one (LANGUAGE_CODE) is Wagtail's initial locale."""

from django.db import migrations

LANGUAGES = ("en", "fr")


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code in LANGUAGES:
        Locale.objects.get_or_create(language_code=language_code)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_network_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Going back leaves the locales: pages in them may exist, and deleting a locale would delete those pages.
    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
