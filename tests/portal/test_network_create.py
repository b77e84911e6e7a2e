"""A new network is a command: its record, its area and its own site, with nothing written on an error."""

from django.core.management import CommandError, call_command
from django.test import Client

from wagtail.models import Page, Site

import pytest

from catalogue.services import areas_load
from organisations.models import Network
from organisations.permissions import can_coordinate

pytestmark = pytest.mark.django_db
ROTSELAAR = "24094"


@pytest.fixture
def areas(db):
    areas_load(wijken_of=[])


def _create(*extra: str) -> None:
    call_command(
        "network_create", "rotselaar", "--name", "Rotselaar", "--kind", "local", "--municipality", ROTSELAAR, *extra
    )


def test_the_network_answers_on_its_own_host_and_its_coordinator_coordinates_it(settings, areas, coordinator):
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    _create("--host", "rotselaar.localhost", "--coordinator", coordinator.username, "--partner", "Netwerk")
    network = Network.objects.get(slug="rotselaar")
    assert network.municipality_codes() == [ROTSELAAR]
    assert list(network.partners.values_list("name", flat=True)) == ["Netwerk"]
    assert can_coordinate(coordinator, network)
    home = Client().get("/", headers={"host": "rotselaar.localhost"})
    assert home.status_code == 200
    assert "Vrije tijd voor iedereen in Rotselaar" in home.content.decode()
    assert network.site.root_page.specific.get_children().live().get().slug == "partners"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--municipality", "99999"], "--municipality: no municipality has the NIS code 99999."),
        (["--coordinator", "nobody"], "--coordinator: not found: nobody."),
        (["--partner", "Atlantis vzw"], "--partner: not found: Atlantis vzw."),
        (["--sub-areas", "wijk"], "--sub-areas wijk: the wijken of 24094 are not loaded"),
    ],
)
def test_bad_input_is_refused_by_option_and_writes_nothing(areas, options, message):
    pages, sites = Page.objects.count(), Site.objects.count()
    with pytest.raises(CommandError, match=message):
        _create("--host", "rotselaar.localhost", *options)
    assert not Network.objects.exists()
    assert (Page.objects.count(), Site.objects.count()) == (pages, sites)


def test_a_host_another_site_answers_on_is_refused(areas):
    default = Site.objects.get(is_default_site=True)
    with pytest.raises(CommandError, match=f"--host: a site already answers on {default.hostname}:{default.port}."):
        _create("--host", default.hostname, "--port", str(default.port))


def test_before_the_areas_are_loaded_it_says_which_command_loads_them(db):
    with pytest.raises(CommandError, match="run `manage.py load_areas` first"):
        _create("--host", "rotselaar.localhost")
