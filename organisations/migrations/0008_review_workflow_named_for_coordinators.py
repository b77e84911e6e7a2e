"""Name Wagtail's default review workflow after who reviews: the network coordinators.

Wagtail names it from the group it started with ("Moderators approval"), and its submit button reads
"Stuur door naar Moderators approval" for a Flemish partner. A workflow's name is data, not a
translatable string, so it gets the Dutch name of the people it goes to, as the portal's other
data does.
"""

from django.db import migrations

WAGTAIL_NAME = "Moderators approval"
WORKFLOW_NAME = "Netwerkcoördinatie"
TASK_NAME = "Nalezen door de netwerkcoördinatie"


def rename(apps, *, workflow: tuple[str, str], task: tuple[str, str]) -> None:
    """Rename (old, new) the workflow and its task."""
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=workflow[0]).update(name=workflow[1])
    apps.get_model("wagtailcore", "Task").objects.filter(name=task[0]).update(name=task[1])


def forwards(apps, schema_editor):
    rename(apps, workflow=(WAGTAIL_NAME, WORKFLOW_NAME), task=(WAGTAIL_NAME, TASK_NAME))


def backwards(apps, schema_editor):
    rename(apps, workflow=(WORKFLOW_NAME, WAGTAIL_NAME), task=(TASK_NAME, WAGTAIL_NAME))


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0007_merge_review_approvers_uitdatabank_link"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
