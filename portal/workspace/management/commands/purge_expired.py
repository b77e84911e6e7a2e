"""Delete client data past its retention period (settings.WORKSPACE_RETENTION_DAYS) and report the counts."""

from django.core.management.base import BaseCommand

from portal.workspace.privacy import purge_expired


class Command(BaseCommand):
    help = "Delete closed or abandoned cases, ended referrals, old unmet needs and audit entries past retention."

    def handle(self, *args, **options) -> None:
        for name, count in purge_expired().items():
            self.stdout.write(f"{name}: {count}")
