"""Encrypt every stored resident contact again with the first key of WORKSPACE_CONTACT_KEYS (key rotation)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.workspace.contact import rotate_contact
from portal.workspace.models import Intake


class Command(BaseCommand):
    help = (
        "Re-encrypt resident contacts with the newest key. Put the new key first in WORKSPACE_CONTACT_KEYS, keep the "
        "old one after it, run this, then remove the old key."
    )

    def handle(self, *args, **options) -> None:
        rotated = 0
        with transaction.atomic():
            for intake in (
                Intake.objects.exclude(resident_contact="").select_for_update().only("pk", "resident_contact")
            ):
                Intake.objects.filter(pk=intake.pk).update(resident_contact=rotate_contact(intake.resident_contact))
                rotated += 1
        self.stdout.write(f"resident_contacts_rotated: {rotated}")
