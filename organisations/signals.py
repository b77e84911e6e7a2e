"""Keep each network's coordinators group in step with its record (organisations.services does the writes)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Site

from .models import Network
from .services import coordinators_root_permissions_sync, network_permissions_sync, network_review_end


def _network_saved(sender, instance: Network, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    network_permissions_sync(instance)
    coordinators_root_permissions_sync()


def _network_deleted(sender, instance: Network, **kwargs) -> None:
    if instance.coordinators_group_id is not None:
        group = Group.objects.filter(pk=instance.coordinators_group_id).first()
        if group is not None:
            network_review_end(group)
            group.delete()
    coordinators_root_permissions_sync()


def _site_saved(sender, instance: Site, raw: bool = False, **kwargs) -> None:
    """A network's site pointing at another home page moves the coordinators' page permissions with it."""
    if raw:
        return
    for network in Network.objects.filter(site=instance):
        network_permissions_sync(network)


def _members_changed(field: str):
    """On ``Network.<field>`` changing from either side: sync the networks it touched.

    From the other side (``user.coordinated_networks.clear()``) the networks are known only before the clear.
    """

    def handler(sender, instance, action: str, reverse: bool, pk_set: set | None, **kwargs) -> None:
        if reverse and action == "pre_clear":
            instance._networks_before_clear = list(Network.objects.filter(**{field: instance}))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            networks = [instance]
        elif action == "post_clear":
            networks = getattr(instance, "_networks_before_clear", [])
        else:
            networks = Network.objects.filter(pk__in=pk_set)
        for network in networks:
            network_permissions_sync(network)

    return handler


def connect() -> None:
    post_save.connect(_network_saved, sender=Network, dispatch_uid="network_saved")
    post_delete.connect(_network_deleted, sender=Network, dispatch_uid="network_deleted")
    post_save.connect(_site_saved, sender=Site, dispatch_uid="network_site_saved")
    for field in ("coordinators", "partners"):
        m2m_changed.connect(
            _members_changed(field),
            sender=getattr(Network, field).through,
            weak=False,
            dispatch_uid=f"network_{field}_changed",
        )
