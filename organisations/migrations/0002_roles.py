"""Create the three role groups with the permissions each role needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PARTNER_EDITORS = "Partner editors"
MEDIATORS = "Mediators"
COORDINATORS = "Network coordinators"

COORDINATOR_MODEL_PERMISSIONS = {
    "organisations": ["organisation", "membership"],
    "catalogue": ["theme", "language", "neighbourhood", "district"],
}
ALL_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")


def _ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_collection = Collection.objects.filter(depth=1).first()
    media_permissions = Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        codename__in=["add_image", "choose_image", "add_document", "choose_document"],
    )

    editors, _ = Group.objects.get_or_create(name=PARTNER_EDITORS)
    editors.permissions.add(access_admin)
    Group.objects.get_or_create(name=MEDIATORS)
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(access_admin)
    for app_label, models in COORDINATOR_MODEL_PERMISSIONS.items():
        for model in models:
            coordinators.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)
            )

    if root_collection is not None:
        for group in (editors, coordinators):
            for permission in media_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in ALL_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=coordinators,
                page=root_page,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[PARTNER_EDITORS, MEDIATORS, COORDINATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("catalogue", "0002_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
