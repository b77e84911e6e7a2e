"""Load the demo networks (real places, demo organisations, offers and users, a site per network); safe to run twice."""

from django.core.management.base import BaseCommand

from catalogue.models import Neighbourhood, OfferPage
from organisations.models import Organisation
from portal.demo import load_demo, load_demo_groups, load_demo_trajectories, load_demo_workspace
from portal.demo_networks import ANTWERPEN_HOST, DEMO_PORT, NETWORK_USERS
from search.indexer import reindex_all


class Command(BaseCommand):
    help = "Load the real places, four demo networks with their sites, catalogue and users (idempotent)."

    def handle(self, *args, **options) -> None:
        result = load_demo()
        for report in reindex_all():
            self.stdout.write(f"Search index ({report.engine}): {report.documents} offers")
        case = load_demo_workspace()
        self.stdout.write(f"Demo case for the mediator: {case.code} ({case.shortlist.count()} offers on its shortlist)")
        made = load_demo_trajectories()
        self.stdout.write(
            "Demo trajectories for the OCMW team (made now): "
            + ", ".join(f"{name} {count}" for name, count in made.items())
        )
        programmes = load_demo_groups()
        self.stdout.write(
            "Group programmes (guide for OpStapje: partner-cultuur, at /bemiddeling/groepen/): "
            + ", ".join(programme.title for programme in programmes)
        )
        places = result["places"]
        self.stdout.write(
            f"Neighbourhoods: {Neighbourhood.objects.count()} "
            f"(created {places.created}, updated {places.updated}, unchanged {places.unchanged})"
        )
        for level, report in result["areas"].items():
            self.stdout.write(
                f"Areas, {level}: created {report.created}, updated {report.updated}, unchanged {report.unchanged}"
            )
        self.stdout.write(f"Organisations: {Organisation.objects.count()}")
        self.stdout.write(
            f"Offers: {OfferPage.objects.live().count()} published (created now: {result['offers_created']})"
        )
        self.stdout.write(self.style.SUCCESS("Demo networks (Antwerpen also at http://127.0.0.1:8000/):"))
        for network in result["networks"]:
            self.stdout.write(
                f"  {network.name:<12} http://{network.site.hostname}:{DEMO_PORT}/  "
                f"{network.partners.count()} partners, "
                f"{OfferPage.objects.live().filter(municipality__networks=network).count()} offers in its area"
            )
        self.stdout.write(self.style.SUCCESS("Demo logins (at /admin/ on their network's host):"))
        antwerpen = ANTWERPEN_HOST.split(".")[0]
        logins = [(user, antwerpen) for user in result["users"]] + [(user, user.network) for user in NETWORK_USERS]
        for user, network in logins:
            self.stdout.write(
                f"  {user.role:<15} {user.username:<24} password: {user.password:<22} "
                f"network: {network:<12} ({user.organisation})"
            )
        self.stdout.write(
            "Referrers sign in and follow their referrals at http://127.0.0.1:8000/bemiddeling/verwijzen/; "
            "the public intake form is at http://127.0.0.1:8000/aanmelden/"
        )
