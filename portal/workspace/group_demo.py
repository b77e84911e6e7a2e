"""Three demo group programmes modelled on OCMW Antwerpen's OpStap and OpStapje and OCMW Gent's 'Perfect is saai'.

OpStap and 'Perfect is saai' are run by the demo mediation team, OpStapje by a partner with a demo editor (its
guide). OpStapje is full with one case waiting, so a mediator enrolling another case sees it join the waiting
list; past sessions have attendance, and one case missed two sessions in a row without notice.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from catalogue.demo import offer_draft
from catalogue.models import Domain, Neighbourhood, OfferPage, OfferSession, Registration
from catalogue.services import OfferInput, offer_create
from organisations.models import Organisation

from . import groups
from .models import ClientCase, Enrolment, Presence
from .services import case_create

GROUP_CASE_CODES = ("GRP-0101", "GRP-0102", "GRP-0103", "GRP-0104", "GRP-0105")

# title, summary, who it is for, domain, capacity, weekday, sessions (what happens), weeks since the start
PROGRAMMES = (
    (
        "OpStap (demo): samen op stap in de stad",
        "Een vaste groep volwassenen gaat elke week samen op stap: een museum, de bib, een sportclub. "
        "Een maatschappelijk werker begeleidt de groep. Gratis.",
        "Volwassenen in begeleiding bij het OCMW",
        Domain.OTHER,
        8,
        1,
        (
            "Kennismaken",
            "Naar de bib",
            "Museum aan de Stroom",
            "Sporthal in de buurt",
            "Theater kijken",
            "Wandelen in het park",
            "Zelf een uitstap kiezen",
            "Terugblik en wat nu",
        ),
        5,
    ),
    (
        "OpStapje (demo): met je kinderen op stap",
        "Ouders gaan met hun kinderen samen op stap: spelen, knutselen, naar de speeltuin of het theater. "
        "Een begeleider van de jeugddienst gaat mee. Gratis.",
        "Ouders met hun kinderen van 3 tot 12 jaar",
        Domain.CULTURE,
        2,
        3,
        (
            "Kennismaken met spelletjes",
            "Knutselen",
            "Naar de speeltuin",
            "Kindertheater",
            "Voorlezen in de bib",
            "Samen koken",
            "Dierentuin",
            "Feestje en terugblik",
            "Wat doen we nu?",
        ),
        3,
    ),
    (
        "Perfect is saai (demo): twaalf workshops",
        "Twaalf workshops in een vaste groep over jezelf durven tonen, fouten maken en je eigen weg kiezen. "
        "Gratis, met koffie.",
        "Volwassenen die een stap willen zetten",
        Domain.OTHER,
        10,
        4,
        tuple(f"Workshop {number}" for number in range(1, 13)),
        2,
    ),
)
# Per programme: case codes enrolled in this order (beyond the capacity they wait).
ENROLMENTS = (GROUP_CASE_CODES[:4], GROUP_CASE_CODES[:3], (GROUP_CASE_CODES[0], GROUP_CASE_CODES[4]))


def _programme(organisation: Organisation, number: int, spec: tuple, today) -> OfferPage:
    title, summary, audience, domain, capacity, weekday, activities, weeks_ago = spec
    neighbourhood = Neighbourhood.objects.select_related("district").get(code="ANT10")
    draft = offer_draft(
        number=9000 + number,
        domain=domain,
        neighbourhood=neighbourhood,
        rng=random.Random(number),  # noqa: S311 (demo values, not secrets)
        today=today,
    )
    start_day = today - timedelta(weeks=weeks_ago, days=today.weekday() - weekday)
    values = {
        **draft.values,
        "title": title,
        "plain_summary": summary,
        "audience_note": audience,
        "is_group_programme": True,
        "guide_name": ("Leen Peeters", "Youssef El Amrani", "Katrien Janssens")[number],
        "list_price": Decimal("0"),
        "reduced_tariff": "",
        "reduced_price": None,
        "registration": Registration.REQUIRED,
        "commitment": "series",
        "capacity": capacity,
        "reserved_places": None,
        "reserved_price": None,
        "reserved_until": None,
        "availability": "",
        "for_families": number == 1,
        "welcome_families": number == 1,
        "start_date": start_day,
        "end_date": start_day + timedelta(weeks=len(activities) - 1),
        "external_id": f"demo-group-{number + 1}",
    }
    zone = timezone.get_current_timezone()
    sessions = [
        OfferSession(
            start=datetime.combine(start_day + timedelta(weeks=week), time(13, 30), zone),
            end=datetime.combine(start_day + timedelta(weeks=week), time(16), zone),
            place=values["street_address"],
            activity=activity,
        )
        for week, activity in enumerate(activities)
    ]
    return offer_create(
        parent=organisation.page, data=OfferInput(values=values, themes=[], time_slots=[], sessions=sessions)
    )


def ensure_demo_groups(
    *, mediator: AbstractBaseUser, team: Organisation, partner: Organisation, guide: AbstractBaseUser
) -> list[OfferPage]:
    """Idempotent: the programmes, cases, enrolments and attendance are made once."""
    existing = list(OfferPage.objects.filter(external_id__startswith="demo-group-").order_by("external_id"))
    if existing:
        return existing
    today = timezone.localdate()
    owners = (team, partner, team)
    programmes = [_programme(owners[number], number, spec, today) for number, spec in enumerate(PROGRAMMES)]
    neighbourhood = Neighbourhood.objects.get(code="ANT10")
    cases = {
        code: ClientCase.objects.filter(organisation=team, code=code).first()
        or case_create(by=mediator, organisation=team, values={"code": code, "home_neighbourhood": neighbourhood})
        for code in GROUP_CASE_CODES
    }
    for programme, codes in zip(programmes, ENROLMENTS, strict=True):
        for code in codes:
            groups.enrol(by=mediator, case=cases[code], offer=programme)
    for programme in programmes:
        _attendance(programme, guide if programme.organisation_id == partner.pk else mediator, timezone.now())
    return programmes


def _attendance(programme: OfferPage, guide: AbstractBaseUser, now) -> None:
    """Past sessions: most came, some excused; the fourth case missed the last two without notice."""
    past = list(OfferSession.objects.filter(offer=programme, end__lt=now).order_by("start"))
    enrolled = list(Enrolment.objects.filter(offer=programme, status="enrolled").select_related("case"))
    for index, session in enumerate(past):
        presences = {}
        for enrolment in enrolled:
            if enrolment.case.code == GROUP_CASE_CODES[3] and index >= len(past) - 2:
                presences[enrolment.pk] = Presence.ABSENT
            elif (index + enrolment.pk) % 5 == 0:
                presences[enrolment.pk] = Presence.EXCUSED
            else:
                presences[enrolment.pk] = Presence.PRESENT
        groups.record_attendance(by=guide, session=session, presences=presences)
