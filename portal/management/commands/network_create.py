"""Add a network to the installation: its record, its area and its own site, in one step; nothing is deployed."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from wagtail.models import Site

from catalogue.models import Area, AreaLevel
from organisations.models import Network, NetworkKind, Organisation, SubAreaLevel
from portal.services import network_site_create


class Command(BaseCommand):
    help = (
        "Create a network with its municipalities, its own Wagtail site (home page and partner directory) on a "
        "host name, its coordinators and partners. Load the areas first (load_areas). Writes nothing on an error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The network's slug, e.g. rotselaar.")
        parser.add_argument("--name", required=True, help="The network's name, e.g. Rotselaar.")
        parser.add_argument("--kind", required=True, choices=NetworkKind.values)
        parser.add_argument(
            "--municipality",
            dest="municipalities",
            action="append",
            required=True,
            metavar="NIS",
            help="NIS code of a municipality in its area (repeat for a supralocal network).",
        )
        parser.add_argument("--sub-areas", choices=SubAreaLevel.values, default=SubAreaLevel.DEELGEMEENTE)
        parser.add_argument("--host", required=True, help="The site's host name, e.g. rotselaar.vrijetijdsnet.be.")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--coordinator", dest="coordinators", action="append", default=[], metavar="USERNAME")
        parser.add_argument("--partner", dest="partners", action="append", default=[], metavar="ORGANISATION")
        parser.add_argument("--intro", default="", help="The home page's introduction (Dutch).")

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        municipalities = self._municipalities(options["municipalities"], options["sub_areas"])
        if Site.objects.filter(hostname=options["host"], port=options["port"]).exists():
            raise CommandError(f"--host: a site already answers on {options['host']}:{options['port']}.")
        network = Network(
            name=options["name"], slug=options["slug"], kind=options["kind"], sub_area_level=options["sub_areas"]
        )
        try:
            network.full_clean()
        except ValidationError as error:
            raise CommandError(_first_error(error)) from None
        network.save()
        network.municipalities.set(municipalities)
        network.coordinators.set(self._found(get_user_model(), "username", options["coordinators"], "--coordinator"))
        network.partners.set(self._found(Organisation, "name", options["partners"], "--partner"))
        names = ", ".join(area.name for area in municipalities)
        network_site_create(
            network=network,
            hostname=options["host"],
            port=options["port"],
            home={
                "title": f"Vrije tijd voor iedereen in {options['name']}",
                "intro": options["intro"] or f"Het netwerk vrijetijdsparticipatie van {names}.",
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Network {network.name} ({network.slug}): {names}; its site answers on "
                f"{options['host']}:{options['port']}. Its coordinators write the vision note and the other "
                "pages under its home page in the admin."
            )
        )

    def _municipalities(self, codes: list[str], sub_areas: str) -> list[Area]:
        found = {area.code: area for area in Area.objects.filter(level=AreaLevel.MUNICIPALITY, code__in=codes)}
        if not Area.objects.filter(level=AreaLevel.MUNICIPALITY).exists():
            raise CommandError("No areas are loaded yet: run `manage.py load_areas` first.")
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(f"--municipality: no municipality has the NIS code {', '.join(unknown)}.")
        if sub_areas == SubAreaLevel.WIJK:
            without = [code for code in codes if not found[code].children.filter(level=AreaLevel.WIJK).exists()]
            if without:
                raise CommandError(
                    f"--sub-areas wijk: the wijken of {', '.join(without)} are not loaded; run "
                    f"`manage.py load_areas --wijken-of {' '.join(without)} --wijken-file <the wijken GeoJSON>`."
                )
        return list(found.values())

    def _found(self, model, field: str, values: list[str], option: str) -> list:
        found = {getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": values})}
        unknown = [value for value in values if value not in found]
        if unknown:
            raise CommandError(f"{option}: not found: {', '.join(unknown)}.")
        return list(found.values())


def _first_error(error: ValidationError) -> str:
    field, messages = next(iter(error.message_dict.items()))
    return f"{field}: {messages[0]}"
