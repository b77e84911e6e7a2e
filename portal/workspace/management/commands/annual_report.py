"""Print the year's figures as CSV for Belgian Excel: key;label;value, UTF-8 with a byte order mark."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from catalogue.csv_export import belgian_csv
from organisations.models import Network, Organisation
from portal.workspace.annual import annual_csv_rows, annual_figures
from portal.workspace.figures import network_teams

REPORT_LANGUAGE = "nl-be"


class Command(BaseCommand):
    help = (
        "The year's figures (dossiers, sources, thresholds, first contact, closures, effects, ladder, funds) as CSV. "
        "Without --organisation: the whole installation, or one network with --network, figures on fewer than 5 "
        "cases suppressed; with it: that organisation's own report, exact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The calendar year, e.g. 2026.")
        parser.add_argument("--organisation", help="The slug of one organisation, for its own exact report.")
        parser.add_argument("--network", help="The slug of one network: its mediation teams' figures.")

    def handle(self, *args, **options) -> None:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year: give a year from 2000 to 2100, not {year}.")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"--organisation: no organisation has the slug {options['organisation']!r}.")
        network = None
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"--network: no network has the slug {options['network']!r}.")
        with translation.override(REPORT_LANGUAGE):
            figures = annual_figures(
                year, organisation=organisation, teams=network_teams(network), exact=organisation is not None
            )
            text = belgian_csv(annual_csv_rows(figures), header=["key", "label", "value"])
        self.stdout.write(text, ending="")
