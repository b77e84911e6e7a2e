"""The demo networks: Antwerp's site pages, organisations of every kind, demo users and catalogue, and the other
networks (``demo_networks``) each on its own site."""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page, Site

from catalogue.demo import LANGUAGES, THEMES, DraftPlace, OfferDraft, offer_draft
from catalogue.models import Area, AreaLevel, Domain, Language, Neighbourhood, OfferPage, Theme, area_ids_at
from catalogue.services import OfferInput, areas_load, neighbourhoods_load, offer_create
from organisations.models import (
    Network,
    NetworkKind,
    Organisation,
    OrganisationIndexPage,
    OrganisationKind,
    SubAreaLevel,
)
from organisations.roles import Role
from organisations.services import membership_grant, organisation_create

from . import demo_networks
from .demo_networks import ANTWERPEN_HOST, DEMO_PORT, NETWORK_USERS, NETWORKS, DemoNetwork, DemoOrganisation
from .demo_pages import ensure_network_pages, ensure_vision_note_translations
from .models import HomePage
from .services import network_site_create
from .workspace.demo import ensure_demo_case
from .workspace.group_demo import ensure_demo_groups
from .workspace.models import ClientCase
from .workspace.trajectory_demo import ensure_demo_trajectories

# (name, kind, domains it publishes, number of offers)
ORGANISATIONS = [
    ("Cultuurdienst Antwerpen (demo)", OrganisationKind.CITY_CULTURE, [Domain.CULTURE], 24),
    ("Sportdienst Antwerpen (demo)", OrganisationKind.CITY_SPORT, [Domain.SPORT], 26),
    ("Jeugddienst Antwerpen (demo)", OrganisationKind.CITY_YOUTH, [Domain.YOUTH], 18),
    ("OCMW Antwerpen – team vrije tijd (demo)", OrganisationKind.OCMW, [Domain.OTHER, Domain.CULTURE], 12),
    ("Sta-An vzw (demo)", OrganisationKind.POVERTY_ASSOCIATION, [Domain.OTHER, Domain.CULTURE], 14),
    ("Buurtwerk De Kring (demo)", OrganisationKind.SOCIAL_ORGANISATION, [Domain.OTHER, Domain.YOUTH], 16),
    ("Zwem- en sportclub Schijnpoort (demo)", OrganisationKind.LEISURE_PROVIDER, [Domain.SPORT], 18),
    ("Cultuurhuis Zuiderpershuis-buurt (demo)", OrganisationKind.LEISURE_PROVIDER, [Domain.CULTURE], 16),
    ("Vrouwenwerking Samen Sterk (demo)", OrganisationKind.SOCIAL_ORGANISATION, [Domain.SPORT, Domain.OTHER], 12),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    organisation: str


DEMO_USERS = [
    DemoUser("coordinator", "demo-coordinator-2026", Role.COORDINATOR, "OCMW Antwerpen – team vrije tijd (demo)"),
    DemoUser("partner-cultuur", "demo-partner-2026", Role.PARTNER_EDITOR, "Cultuurdienst Antwerpen (demo)"),
    DemoUser("partner-sport", "demo-partner-2026", Role.PARTNER_EDITOR, "Zwem- en sportclub Schijnpoort (demo)"),
    DemoUser("mediator", "demo-mediator-2026", Role.MEDIATOR, "OCMW Antwerpen – team vrije tijd (demo)"),
    DemoUser("referrer", "demo-referrer-2026", Role.REFERRER, "Buurtwerk De Kring (demo)"),
]

HOME = {
    "title": "Vrije tijd voor iedereen in Antwerpen",
    "intro": (
        "Sporten, cultuur en jeugdwerk zijn er voor iedereen. Dit netwerk van stadsdiensten, het OCMW, "
        "Sta-An en sociale organisaties helpt mensen met weinig geld om een vrijetijdsactiviteit te vinden "
        "die bij hen past, en zorgt dat ze welkom zijn."
    ),
    "track_guidance": "Vrijetijdsbemiddelaars zoeken samen met mensen een activiteit en gaan de eerste keer mee.",
    "track_thresholds": (
        "Partners maken hun aanbod goedkoper, dichterbij en toegankelijker, en zeggen duidelijk wat het kost."
    ),
    "track_cooperation": "Partners delen kennis, leren van elkaar en maken armoede bespreekbaar in hun werking.",
}


def ensure_site() -> tuple[HomePage, OrganisationIndexPage]:
    """The home page as the default site's root, with the partner directory under it.

    The default site's home, not the first home: each network has its own, and Antwerp's answers by default.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if not isinstance(home, HomePage):
        root = Page.get_first_root_node()
        home = HomePage(slug="home", **HOME)
        # Wagtail's own "Welcome" page holds the slug and the site; the home page takes its place.
        welcome_pages = [page for page in root.get_children() if page.specific_class is Page]
        Site.objects.filter(root_page__in=welcome_pages).delete()
        for page in welcome_pages:
            page.delete()
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Vrijetijdsnet"},
        )
    index = OrganisationIndexPage.objects.child_of(home).first()
    if index is None:
        index = OrganisationIndexPage(
            title="Partners", slug="partners", intro="Wie zit er in het netwerk en wie kan je bellen?"
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return home, index


def ensure_reference_data() -> None:
    for domain, names in THEMES.items():
        for name in names:
            Theme.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-"), "domain": domain})
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


def ensure_organisations(index: OrganisationIndexPage) -> dict[str, Organisation]:
    organisations = {}
    for name, kind, _domains, _count in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first() or organisation_create(
            index=index,
            name=name,
            kind=kind,
            email=f"info@{name.split()[0].lower()}.example",
            phone="03 000 00 00",
            city="Antwerpen",
        )
        organisations[name] = organisation
    return organisations


def ensure_users(organisations: dict[str, Organisation]) -> list[DemoUser]:
    for demo in DEMO_USERS:
        user = _ensure_user(demo.username, demo.password)
        membership_grant(user=user, organisation=organisations[demo.organisation], role=demo.role)
    return DEMO_USERS


def _ensure_user(username: str, password: str) -> AbstractBaseUser:
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@demo.example"}
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def ensure_offers(organisations: dict[str, Organisation], *, seed: int = 2026) -> int:
    """Create the demo offers that are missing; returns how many were created."""
    rng = random.Random(seed)
    neighbourhoods = list(Neighbourhood.objects.select_related("district").order_by("code"))
    themes = {theme.name: theme for theme in Theme.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    created = 0
    number = 0
    today = timezone.localdate()
    for name, _kind, domains, count in ORGANISATIONS:
        organisation = organisations[name]
        existing = set(OfferPage.objects.filter(organisation=organisation).values_list("external_id", flat=True))
        for _index in range(count):
            number += 1
            neighbourhood = neighbourhoods[(number * 7) % len(neighbourhoods)]
            draft = offer_draft(
                number=number, domain=domains[number % len(domains)], neighbourhood=neighbourhood, rng=rng, today=today
            )
            if draft.values["external_id"] in existing:
                continue
            _offer_create(organisation, draft, themes, languages)
            created += 1
    return created


def _offer_create(
    organisation: Organisation,
    draft: OfferDraft,
    themes: dict,
    languages: dict,
    served_networks: Sequence[Network] = (),
) -> OfferPage:
    return offer_create(
        parent=organisation.page,
        data=OfferInput(
            values=draft.values,
            themes=[themes[theme_name] for theme_name in draft.theme_names],
            languages=[languages[code] for code in draft.language_codes],
            time_slots=draft.time_slots,
            extra_costs=draft.extra_costs,
            served_networks=list(served_networks),
        ),
    )


def _municipalities(codes: Sequence[str]) -> list[Area]:
    found = list(Area.objects.filter(level=AreaLevel.MUNICIPALITY, code__in=codes))
    if len(found) != len(set(codes)):
        raise ValueError(f"Load the areas first: not every municipality of {', '.join(codes)} is there.")
    return found


def ensure_antwerp_network(home: HomePage, organisations: dict[str, Organisation]) -> Network:
    """Antwerp as a network record: the portal as it was, on the default site, now also on its own host."""
    network, _created = Network.objects.get_or_create(
        slug="antwerpen",
        defaults={"name": "Antwerpen", "kind": NetworkKind.CITY, "sub_area_level": SubAreaLevel.DISTRICT},
    )
    network.municipalities.set(_municipalities(["11002"]))
    site = Site.objects.get(is_default_site=True, root_page=home)
    if (site.hostname, site.port) != (ANTWERPEN_HOST, DEMO_PORT):
        site.hostname, site.port = ANTWERPEN_HOST, DEMO_PORT
        site.save()
    if network.site_id != site.pk:
        network.site = site
        network.save()
    network.partners.add(*organisations.values())
    users = {user.role: user for user in DEMO_USERS}
    network.mediation_teams.add(organisations[users[Role.MEDIATOR].organisation])
    network.coordinators.add(get_user_model().objects.get(username=users[Role.COORDINATOR].username))
    return network


def _short_name(area: Area) -> str:
    """'Geluwe (Wervik)' and 'Binnenstad (Gent)' as 'Geluwe' and 'Binnenstad'; 'Wervik (Dg.)' as 'Wervik'."""
    return area.name.rsplit(" (", 1)[0]


def _address_at(draft: OfferDraft, deelgemeenten: dict[int, Area]) -> None:
    """The postal code and place name of the deelgemeente the offer's point lies in."""
    placed = area_ids_at(latitude=draft.values["latitude"], longitude=draft.values["longitude"])
    deelgemeente = deelgemeenten[placed[AreaLevel.DEELGEMEENTE]]
    draft.values["postal_code"] = demo_networks.POSTAL_CODES[deelgemeente.code]
    draft.values["city"] = _short_name(deelgemeente)


def ensure_network_offers(spec: DemoNetwork, organisations: dict[str, Organisation], *, seed: int = 2026) -> int:
    """The network's demo offers, each at a random point well inside one of its deelgemeenten or wijken in turn."""
    rng = random.Random(f"{seed}-{spec.slug}")
    sub_areas = Area.objects.in_bulk(spec.sub_areas, field_name="code")
    municipalities = {area.pk for area in _municipalities(spec.municipalities)}
    deelgemeenten = Area.objects.filter(level=AreaLevel.DEELGEMEENTE, parent__in=municipalities).in_bulk()
    themes = {theme.name: theme for theme in Theme.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    beyond = {name: list(Network.objects.filter(slug__in=slugs)) for name, slugs in spec.offered_beyond}
    today = timezone.localdate()
    created = 0
    number = spec.first_number
    for demo in spec.organisations:
        organisation = organisations[demo.name]
        existing = set(OfferPage.objects.filter(organisation=organisation).values_list("external_id", flat=True))
        for _index in range(demo.offers):
            number += 1
            area = sub_areas[spec.sub_areas[number % len(spec.sub_areas)]]
            place = DraftPlace(
                area=area,
                name=_short_name(area),
                city=_short_name(area),
                postal_codes=(demo_networks.POSTAL_CODES.get(area.code, ""),),
                stops=spec.stops,
            )
            draft = offer_draft(
                number=number, domain=demo.domains[number % len(demo.domains)], place=place, rng=rng, today=today
            )
            _address_at(draft, deelgemeenten)
            if draft.values["external_id"] in existing:
                continue
            _offer_create(organisation, draft, themes, languages, beyond.get(demo.name, ()))
            created += 1
    return created


def _ensure_network_organisation(index: OrganisationIndexPage, demo: DemoOrganisation) -> Organisation:
    """Found by name: a partner shared by two networks keeps its page in the directory of the first."""
    return Organisation.objects.filter(name=demo.name).first() or organisation_create(
        index=index,
        name=demo.name,
        kind=demo.kind,
        email=f"info@{slugify(demo.name)}.example",
        phone=demo.phone,
        city=demo.city,
    )


def ensure_network(spec: DemoNetwork) -> tuple[Network, int]:
    """One demo network with its site, partners, logins, offers and pages; returns it and how many offers it made."""
    network, _created = Network.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "kind": spec.kind, "sub_area_level": spec.sub_area_level}
    )
    network.municipalities.set(_municipalities(spec.municipalities))
    if network.site is None:
        network_site_create(
            network=network,
            hostname=spec.hostname,
            port=DEMO_PORT,
            home=spec.home,
            directory_intro=spec.directory_intro,
        )
    home = network.site.root_page.specific
    index = OrganisationIndexPage.objects.child_of(home).get()
    organisations = {demo.name: _ensure_network_organisation(index, demo) for demo in spec.organisations}
    network.partners.add(*organisations.values())
    network.mediation_teams.add(organisations[spec.mediation_team])
    for demo_user in NETWORK_USERS:
        if demo_user.network != spec.slug:
            continue
        user = _ensure_user(demo_user.username, demo_user.password)
        membership_grant(user=user, organisation=organisations[demo_user.organisation], role=demo_user.role)
        if demo_user.role == Role.COORDINATOR:
            network.coordinators.add(user)
    offers_created = ensure_network_offers(spec, organisations)
    in_area = OfferPage.objects.filter(municipality__networks=network)
    ensure_network_pages(home, spec.texts, offers=in_area)
    return network, offers_created


@transaction.atomic
def load_demo() -> dict:
    data_dir = settings.NETWORK_NEIGHBOURHOODS_GEOJSON.parent
    places = neighbourhoods_load(
        geojson_path=settings.NETWORK_NEIGHBOURHOODS_GEOJSON,
        scores_path=data_dir / "antwerpen-wijken-sociaaleconomische-score-2025.csv",
    )
    areas = areas_load(wijken_of=["44021"])
    home, index = ensure_site()
    ensure_reference_data()
    organisations = ensure_organisations(index)
    users = ensure_users(organisations)
    # A network from here on: its offers are placed, and its pages' review workflow made, as the network's.
    networks = [ensure_antwerp_network(home, organisations)]
    offers_created = ensure_offers(organisations)
    pages = ensure_network_pages(home)
    ensure_vision_note_translations(pages["vision_note"].specific)
    for spec in NETWORKS:
        network, created = ensure_network(spec)
        networks.append(network)
        offers_created += created
    return {
        "places": places,
        "areas": areas,
        "offers_created": offers_created,
        "users": users,
        "networks": networks,
    }


def load_demo_workspace() -> ClientCase:
    """The demo mediator's case; it matches against the search index, so it comes after a reindex."""
    mediator = next(user for user in DEMO_USERS if user.role == Role.MEDIATOR)
    return ensure_demo_case(
        mediator=get_user_model().objects.get(username=mediator.username),
        organisation=Organisation.objects.get(name=mediator.organisation),
    )


def load_demo_groups() -> list:
    """Three group programmes with sessions, enrolments, a waiting list and attendance."""
    accounts = get_user_model().objects.in_bulk([user.username for user in DEMO_USERS], field_name="username")
    users = {user.username: user for user in DEMO_USERS}
    mediator, guide = users["mediator"], users["partner-cultuur"]
    return ensure_demo_groups(
        mediator=accounts[mediator.username],
        team=Organisation.objects.get(name=mediator.organisation),
        partner=Organisation.objects.get(name=guide.organisation),
        guide=accounts[guide.username],
    )


def load_demo_trajectories() -> dict[str, int]:
    """A year and a half of the demo OCMW team's intakes, trajectories, evaluations and fund interventions."""
    users = {user.role: user for user in DEMO_USERS}
    accounts = get_user_model().objects.in_bulk([user.username for user in DEMO_USERS], field_name="username")
    referrer = accounts[users[Role.REFERRER].username]
    if not referrer.first_name:
        referrer.first_name, referrer.last_name = "Sara", "Maes"
        referrer.save(update_fields=["first_name", "last_name"])
    return ensure_demo_trajectories(
        mediator=accounts[users[Role.MEDIATOR].username],
        coordinator=accounts[users[Role.COORDINATOR].username],
        referrer=referrer,
        team=Organisation.objects.get(name=users[Role.MEDIATOR].organisation),
        referrer_organisation=Organisation.objects.get(name=users[Role.REFERRER].organisation),
    )
