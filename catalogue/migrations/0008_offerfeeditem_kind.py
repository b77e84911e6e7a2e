from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_merge_import_job_transport_offered"),
    ]

    operations = [
        # Items written before the feed spoke OpenActive were schema.org Events; a sync re-records them.
        migrations.AddField(
            model_name="offerfeeditem",
            name="kind",
            field=models.CharField(default="Event", max_length=40, verbose_name="kind"),
            preserve_default=False,
        ),
    ]
