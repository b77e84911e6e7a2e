"""Network coordinators approve what partners send for review under Wagtail's default approval task.

Wagtail's default workflow covers the whole page tree, offers included, with one task approved by its
"Moderators" group, which no role of the network belongs to: an offer a partner sent for review waited for
nobody. Coordinators join every task that group approves (and leave them again on the way back).
"""

from django.db import migrations

COORDINATORS = "Network coordinators"
MODERATORS = "Moderators"


def coordinators_approve(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    coordinators = Group.objects.get(name=COORDINATORS)
    for task in GroupApprovalTask.objects.filter(groups__name=MODERATORS):
        task.groups.add(coordinators)


def coordinators_stop_approving(apps, schema_editor):
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    for task in GroupApprovalTask.objects.filter(groups__name=MODERATORS):
        task.groups.remove(*task.groups.filter(name=COORDINATORS))


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0005_referrer_role"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(coordinators_approve, coordinators_stop_approving)]
