"""The roles of the network, each a Django group created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNER_EDITOR = "partner_editor", _("Partner editor")
    MEDIATOR = "mediator", _("Mediator")
    COORDINATOR = "coordinator", _("Network coordinator")
    # A social worker of a partner (CAW, school, OCMW office) who refers clients and sees only their status.
    REFERRER = "referrer", _("Referrer")


# The group names are stable identifiers; the groups themselves are made in a migration.
ROLE_GROUP_NAMES: dict[str, str] = {
    Role.PARTNER_EDITOR: "Partner editors",
    Role.MEDIATOR: "Mediators",
    Role.COORDINATOR: "Network coordinators",
    Role.REFERRER: "Referrers",
}
