"""Create the referrers' group: social workers of partners who refer clients to the mediation team."""

from django.db import migrations, models

REFERRERS = "Referrers"


def create_referrers(apps, schema_editor):
    # Referrers use the workspace's own referral pages only: no admin access, no model permissions.
    apps.get_model("auth", "Group").objects.get_or_create(name=REFERRERS)


def remove_referrers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REFERRERS).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_coordinators_submit_translations")]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("partner_editor", "Partner editor"),
                    ("mediator", "Mediator"),
                    ("coordinator", "Network coordinator"),
                    ("referrer", "Referrer"),
                ],
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(create_referrers, remove_referrers),
    ]
