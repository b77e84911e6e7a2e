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


def rename(apps, schema_editor, *, workflow_name: str, task_name: str, old_names: tuple[str, str]) -> None:
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old_names[0]).update(name=workflow_name)
    apps.get_model("wagtailcore", "Task").objects.filter(name=old_names[1]).update(name=task_name)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, workflow_name=WORKFLOW_NAME, task_name=TASK_NAME, old_names=(WAGTAIL_NAME, WAGTAIL_NAME))


def backwards(apps, schema_editor):
    rename(apps, schema_editor, workflow_name=WAGTAIL_NAME, task_name=WAGTAIL_NAME, old_names=(WORKFLOW_NAME, TASK_NAME))


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0007_merge_review_approvers_uitdatabank_link"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
