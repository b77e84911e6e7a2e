"""Load the Flemish and Brussels municipalities, their deelgemeenten and chosen wijken; safe to run twice."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.models import Area
from catalogue.services import (
    DEELGEMEENTEN_GEOJSON,
    GHENT_WIJKEN_GEOJSON,
    MUNICIPALITIES_GEOJSON,
    areas_load,
    offers_place_in_areas,
)
from search.indexer import index_after_commit


class Command(BaseCommand):
    help = (
        "Load every municipality and deelgemeente of Flanders and Brussels and the wijken of the municipalities "
        "given with --wijken-of, then place the offers in them (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wijken-of",
            nargs="*",
            default=["44021"],
            metavar="NIS",
            help="NIS codes of the municipalities whose wijken to load (default: 44021 Gent). "
            "Antwerp (11002) keeps its city-drawn neighbourhoods.",
        )
        parser.add_argument(
            "--wijken-file",
            type=Path,
            default=GHENT_WIJKEN_GEOJSON,
            help="The wijken GeoJSON to read them from; the shipped file holds Ghent's only "
            "(vlaanderen-brussel-wijken-ggw7.geojson holds every municipality's).",
        )
        parser.add_argument("--municipalities-file", type=Path, default=MUNICIPALITIES_GEOJSON)
        parser.add_argument("--deelgemeenten-file", type=Path, default=DEELGEMEENTEN_GEOJSON)

    def handle(self, *args, **options) -> None:
        try:
            reports = areas_load(
                municipalities_path=options["municipalities_file"],
                deelgemeenten_path=options["deelgemeenten_file"],
                wijken_path=options["wijken_file"],
                wijken_of=options["wijken_of"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for level, report in reports.items():
            self.stdout.write(
                f"{level}: {Area.objects.filter(level=level).count()} "
                f"(created {report.created}, updated {report.updated}, unchanged {report.unchanged})"
            )
        placed = offers_place_in_areas()
        if placed:
            index_after_commit(placed)
        self.stdout.write(f"Offers placed anew: {len(placed)}")
