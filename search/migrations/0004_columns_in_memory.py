"""The embedded engine keeps filters and facets in memory: multi-valued fields and flags become one
``terms`` column, rows carry the generation that wrote them, and removals are remembered.

The index is emptied here; ``manage.py reindex`` (or ``load_demo``) fills it again.
"""

import uuid

from django.db import migrations, models

FLAG_COLUMNS = (
    "step_free",
    "adapted_toilet",
    "lift",
    "wheelchair_available",
    "hearing_loop",
    "sign_language",
    "audio_description",
    "simplified_information",
    "low_stimulus",
    "assistance_dogs",
    "carer_free",
    "quiet_space",
    "walk_in",
    "free_trial",
    "companion_welcome",
    "companion_free",
    "welcome_contact",
    "no_experience_needed",
    "childcare",
    "instalments",
    "ocmw_participation_funds",
    "pictograms",
    "women_only",
    "newcomers",
    "seniors",
    "families",
)


def empty_index(apps, schema_editor):
    apps.get_model("catalogue_search", "OfferTerm").objects.all().delete()
    apps.get_model("catalogue_search", "OfferDocument").objects.all().delete()
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DELETE FROM catalogue_search_offertext")


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0003_last_confirmed")]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.DeleteModel(name="OfferTerm"),
        migrations.RemoveIndex(model_name="offerdocument", name="catalogue_s_cost_re_c52fb1_idx"),
        migrations.RemoveIndex(model_name="offerdocument", name="catalogue_s_publish_10495d_idx"),
        *(migrations.RemoveField(model_name="offerdocument", name=name) for name in FLAG_COLUMNS),
        migrations.AddField(
            model_name="offerdocument",
            name="generation",
            field=models.BigIntegerField(db_index=True, default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="offerdocument",
            name="terms",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AlterField(model_name="offerdocument", name="organisation", field=models.CharField(max_length=200)),
        migrations.AlterField(model_name="offerdocument", name="domain", field=models.CharField(max_length=20)),
        migrations.AlterField(model_name="offerdocument", name="district", field=models.CharField(max_length=10)),
        migrations.AlterField(model_name="offerdocument", name="neighbourhood", field=models.CharField(max_length=10)),
        migrations.AlterField(model_name="offerdocument", name="latitude", field=models.FloatField()),
        migrations.AlterField(model_name="offerdocument", name="end_date", field=models.DateField(null=True)),
        migrations.AlterField(model_name="offerdocument", name="last_confirmed", field=models.DateField()),
        migrations.CreateModel(
            name="RemovedDocument",
            fields=[
                ("offer_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("generation", models.BigIntegerField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="IndexState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("generation", models.BigIntegerField(default=0)),
                ("lineage", models.UUIDField(default=uuid.uuid4)),
            ],
        ),
    ]
