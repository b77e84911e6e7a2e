"""The network's record and its search in Dutch: the admin form's fields, kinds and help texts, and the header."""

from django.test import Client

from wagtail.models import Site

import pytest

from catalogue.models import Area
from catalogue.services import areas_load
from organisations.models import Network, NetworkKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DUTCH = {"accept-language": "nl"}


@pytest.fixture
def mortsel(db) -> Network:
    areas_load(wijken_of=[])
    network = Network.objects.create(name="Mortsel", slug="mortsel", kind=NetworkKind.LOCAL)
    network.municipalities.set(Area.objects.filter(code="11029"))
    return network


def test_the_network_form_reads_in_dutch(client: Client, mortsel: Network) -> None:
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/snippets/organisations/network/edit/{mortsel.pk}/", headers=DUTCH)
    body = response.content.decode().lower()  # the form's labels begin with a capital
    assert response.status_code == 200
    for dutch in (
        "Lokaal netwerk: één gemeente",
        "Bovenlokaal netwerk: meerdere gemeenten",
        "Brussel (VGC)",
        "districten en de eigen wijken van de stad (Antwerpen)",
        "De gemeenten waarin het netwerk werkt: zijn gebied.",
        "deelgebieden",
        "bemiddelingsteams",
        "regels voor UiTPAS en verminderd tarief",
        "bewaartermijnen",
    ):
        assert dutch.lower() in body, dutch
    assert "supralocal network" not in body and "mediation teams" not in body


def test_the_header_and_the_search_name_the_sites_network(client: Client, mortsel: Network, settings) -> None:
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    mortsel.site = Site.objects.create(hostname="mortsel.localhost", root_page=Site.objects.get().root_page)
    mortsel.save(update_fields=["site"])
    body = client.get("/aanbod/", headers=DUTCH, HTTP_HOST="mortsel.localhost").content.decode()
    assert '<span class="brand-network">Mortsel</span>' in body
    assert "Je zoekt in het aanbod van: Mortsel." in body
    assert "Ook de naburige netwerken" in body
    assert "Grenzen: Statbel (statistische sectoren 2025)" in body and "Stad Antwerpen" not in body
    assert "Gegevens over de wijken: Stad Antwerpen" in client.get("/aanbod/", headers=DUTCH).content.decode()
