"""The demo network's own texts (Dutch, plain language): vision note, expertise, news, statement and contact;
and the vision note in English and French."""

from dataclasses import dataclass
from datetime import date


def section(heading: str, *paragraphs: str) -> dict:
    """One vision note or expertise section in StreamField's raw form; paragraphs are HTML."""
    return {"type": "section", "value": {"heading": heading, "body": "".join(paragraphs)}}


VISION_NOTE = {
    "title": "Visienota",
    "slug": "visienota",
    "intro": (
        "Waarom werken we samen, en hoe? In deze visienota staat wat de partners van het netwerk samen "
        "beloven: iedereen in Antwerpen moet kunnen sporten, cultuur beleven en meedoen in het jeugdwerk, "
        "ook wie weinig geld heeft."
    ),
}

VISION_NOTE_2025 = {
    "version": "2025.1",
    "approved_on": date(2025, 3, 20),
    "sections": [
        section(
            "Waarom dit netwerk bestaat",
            "<p>Vrije tijd is geen luxe. Wie sport, muziek maakt of naar een voorstelling gaat, leert mensen "
            "kennen en voelt zich beter. Voor mensen met weinig geld is dat vaak moeilijk.</p>",
        ),
        section(
            "Toeleiding",
            "<p>Bemiddelaars van het OCMW en buurtwerkers zoeken samen met mensen een activiteit die past.</p>",
        ),
        section(
            "Drempels wegwerken",
            "<p>Partners bekijken wat mensen tegenhoudt: de prijs, de afstand, de taal of de eerste stap.</p>",
        ),
        section(
            "Samenwerken",
            "<p>Stadsdiensten, het OCMW, Sta-An en sociale organisaties delen hun kennis en hun aanbod.</p>",
        ),
    ],
}

VISION_NOTE_2026 = {
    "version": "2026.1",
    "approved_on": date(2026, 3, 15),
    "sections": [
        section(
            "Waarom dit netwerk bestaat",
            "<p>Vrije tijd is een recht, geen luxe. Wie sport, muziek maakt, naar het theater gaat of in een "
            "jeugdbeweging zit, leert mensen kennen, voelt zich sterker en hoort erbij.</p>",
            "<p>Voor mensen die in armoede leven, is dat niet vanzelfsprekend. Het netwerk brengt daarom "
            "de stadsdiensten voor sport, cultuur en jeugd, het OCMW, Sta-An en sociale organisaties samen. "
            "Samen zorgen we dat vrije tijd in Antwerpen voor iedereen open staat.</p>",
        ),
        section(
            "Toeleiding: samen de eerste stap zetten",
            "<p>Een folder is vaak niet genoeg. Vrijetijdsbemiddelaars van het OCMW en buurtwerkers luisteren "
            "eerst: wat wil iemand graag doen, wat kan hij of zij betalen, wat maakt het moeilijk?</p>",
            "<p>Daarna zoeken ze samen een activiteit. Wie dat wil, krijgt iemand mee bij het eerste bezoek. "
            "Na een paar weken vragen we hoe het gaat. Zo haken minder mensen af.</p>",
        ),
        section(
            "Drempels wegwerken",
            "<p>Mensen blijven niet weg omdat ze geen interesse hebben, maar omdat er drempels zijn. "
            "We kijken naar zes soorten drempels:</p>",
            "<ul><li>geld: de prijs, maar ook materiaal, kledij en lidgeld;</li>"
            "<li>praktisch: de afstand, het uur, opvang voor de kinderen;</li>"
            "<li>toegankelijkheid: trappen, prikkels, een ringleiding;</li>"
            "<li>sociaal en psychologisch: alleen ergens binnenstappen, schrik om niet welkom te zijn;</li>"
            "<li>taal en cultuur: hoeveel Nederlands je nodig hebt;</li>"
            "<li>informatie: weten dat het aanbod bestaat en wat het kost.</li></ul>",
            "<p>Elke partner beschrijft deze drempels bij zijn aanbod, eerlijk en in klare taal. Zo weet een "
            "bemiddelaar meteen of een activiteit past.</p>",
        ),
        section(
            "Samenwerken als netwerk",
            "<p>Geen enkele partner kan dit alleen. We delen ons aanbod in één catalogus, we verwijzen naar "
            "elkaar door en we leren van wat lukt en wat niet lukt.</p>",
            "<p>Twee keer per jaar komen alle partners samen. De coördinatoren van het netwerk houden deze "
            "visienota en de expertisepagina's bij.</p>",
        ),
        section(
            "Mensen in armoede spreken mee",
            "<p>Wie in armoede leeft, weet het best waar de drempels liggen. Daarom zitten mensen met "
            "ervaring, via Sta-An en de verenigingen waar armen het woord nemen, mee aan tafel.</p>",
            "<p>Zij lezen mee bij nieuwe teksten, testen het aanbod en zeggen wat beter kan. Hun stem telt "
            "even zwaar als die van de andere partners.</p>",
        ),
    ],
}

# Every string of the 2026.1 vision note as wagtail-localize cuts it up (title, slug, summary, each heading,
# paragraph and list item), with its English and French translation. The slug stays Dutch in every
# language, so the note's address only changes by its language prefix: /en/visienota/, /fr/visienota/.
VISION_NOTE_TRANSLATIONS: dict[str, dict[str, str]] = {
    "Visienota": {"en": "Vision note", "fr": "Note de vision"},
    "visienota": {"en": "visienota", "fr": "visienota"},
    VISION_NOTE["intro"]: {
        "en": (
            "Why do we work together, and how? This vision note sets out what the partners of the network promise "
            "each other: everyone in Antwerp must be able to play sport, enjoy culture and take part in youth work, "
            "also people who have little money."
        ),
        "fr": (
            "Pourquoi travaillons-nous ensemble, et comment ? Cette note de vision dit ce que les partenaires du "
            "réseau se promettent : à Anvers, chacun doit pouvoir faire du sport, profiter de la culture et "
            "participer aux activités de jeunesse, même avec peu d’argent."
        ),
    },
    "Waarom dit netwerk bestaat": {"en": "Why this network exists", "fr": "Pourquoi ce réseau existe"},
    (
        "Vrije tijd is een recht, geen luxe. Wie sport, muziek maakt, naar het theater gaat of in een jeugdbeweging "
        "zit, leert mensen kennen, voelt zich sterker en hoort erbij."
    ): {
        "en": (
            "Leisure is a right, not a luxury. People who play sport, make music, go to the theatre or belong to a "
            "youth movement get to know others, feel stronger and belong."
        ),
        "fr": (
            "Les loisirs sont un droit, pas un luxe. Faire du sport ou de la musique, aller au théâtre ou faire partie "
            "d’un mouvement de jeunesse, c’est rencontrer des gens, se sentir plus fort et trouver sa place."
        ),
    },
    (
        "Voor mensen die in armoede leven, is dat niet vanzelfsprekend. Het netwerk brengt daarom de stadsdiensten "
        "voor sport, cultuur en jeugd, het OCMW, Sta-An en sociale organisaties samen. Samen zorgen we dat vrije tijd "
        "in Antwerpen voor iedereen open staat."
    ): {
        "en": (
            "For people who live in poverty, this cannot be taken for granted. That is why the network brings "
            "together the city's sport, culture and youth services, the OCMW (the public social welfare centre), "
            "Sta-An and social organisations. Together we make sure that leisure in Antwerp is open to everyone."
        ),
        "fr": (
            "Pour les personnes qui vivent dans la pauvreté, ce n’est pas une évidence. C’est pourquoi le réseau "
            "réunit les services de la Ville pour le sport, la culture et la jeunesse, l’OCMW (le CPAS d’Anvers), "
            "Sta-An et des organisations sociales. Ensemble, nous veillons à ce que les loisirs à Anvers soient "
            "ouverts à tous."
        ),
    },
    "Toeleiding: samen de eerste stap zetten": {
        "en": "Guiding people: taking the first step together",
        "fr": "Accompagner : faire le premier pas ensemble",
    },
    (
        "Een folder is vaak niet genoeg. Vrijetijdsbemiddelaars van het OCMW en buurtwerkers luisteren eerst: wat "
        "wil iemand graag doen, wat kan hij of zij betalen, wat maakt het moeilijk?"
    ): {
        "en": (
            "A leaflet is often not enough. Leisure mediators from the OCMW and neighbourhood workers listen first: "
            "what would someone like to do, what can they afford, what makes it hard?"
        ),
        "fr": (
            "Un dépliant ne suffit souvent pas. Les médiateurs loisirs de l’OCMW et les travailleurs de quartier "
            "écoutent d’abord : qu’est-ce que la personne aimerait faire, que peut-elle payer, qu’est-ce qui rend "
            "les choses difficiles ?"
        ),
    },
    (
        "Daarna zoeken ze samen een activiteit. Wie dat wil, krijgt iemand mee bij het eerste bezoek. Na een paar "
        "weken vragen we hoe het gaat. Zo haken minder mensen af."
    ): {
        "en": (
            "Then they look for an activity together. Anyone who wants can have someone come along on the first "
            "visit. After a few weeks we ask how it is going. That way fewer people drop out."
        ),
        "fr": (
            "Ensuite, ils cherchent ensemble une activité. Qui le souhaite est accompagné lors de la première visite. "
            "Après quelques semaines, nous demandons comment cela se passe. Ainsi, moins de personnes abandonnent."
        ),
    },
    "Drempels wegwerken": {"en": "Removing thresholds", "fr": "Lever les obstacles"},
    (
        "Mensen blijven niet weg omdat ze geen interesse hebben, maar omdat er drempels zijn. We kijken naar zes "
        "soorten drempels:"
    ): {
        "en": (
            "People do not stay away because they are not interested, but because there are thresholds. We look at "
            "six kinds of thresholds:"
        ),
        "fr": (
            "Les gens ne restent pas à l’écart par manque d’intérêt, mais parce qu’il y a des obstacles. Nous en "
            "distinguons six sortes :"
        ),
    },
    "geld: de prijs, maar ook materiaal, kledij en lidgeld;": {
        "en": "money: the price, but also equipment, clothing and membership fees;",
        "fr": "l’argent : le prix, mais aussi le matériel, les vêtements et la cotisation ;",
    },
    "praktisch: de afstand, het uur, opvang voor de kinderen;": {
        "en": "practical: the distance, the time of day, childcare;",
        "fr": "les aspects pratiques : la distance, l’horaire, la garde des enfants ;",
    },
    "toegankelijkheid: trappen, prikkels, een ringleiding;": {
        "en": "accessibility: stairs, noise and crowds, a hearing loop;",
        "fr": "l’accessibilité : les escaliers, le bruit et la foule, une boucle magnétique ;",
    },
    "sociaal en psychologisch: alleen ergens binnenstappen, schrik om niet welkom te zijn;": {
        "en": "social and psychological: walking in somewhere on your own, the fear of not being welcome;",
        "fr": "les aspects sociaux et psychologiques : entrer seul quelque part, la peur de ne pas être bienvenu ;",
    },
    "taal en cultuur: hoeveel Nederlands je nodig hebt;": {
        "en": "language and culture: how much Dutch you need;",
        "fr": "la langue et la culture : le niveau de néerlandais qu’il faut ;",
    },
    "informatie: weten dat het aanbod bestaat en wat het kost.": {
        "en": "information: knowing that the activity exists and what it costs.",
        "fr": "l’information : savoir que l’activité existe et ce qu’elle coûte.",
    },
    (
        "Elke partner beschrijft deze drempels bij zijn aanbod, eerlijk en in klare taal. Zo weet een bemiddelaar "
        "meteen of een activiteit past."
    ): {
        "en": (
            "Every partner describes these thresholds for each activity, honestly and in plain language. That way a "
            "mediator knows straight away whether an activity is a good fit."
        ),
        "fr": (
            "Chaque partenaire décrit ces obstacles pour chacune de ses activités, honnêtement et en langage clair. "
            "Ainsi, un médiateur sait tout de suite si une activité convient."
        ),
    },
    "Samenwerken als netwerk": {"en": "Working together as a network", "fr": "Travailler ensemble en réseau"},
    (
        "Geen enkele partner kan dit alleen. We delen ons aanbod in één catalogus, we verwijzen naar elkaar door en "
        "we leren van wat lukt en wat niet lukt."
    ): {
        "en": (
            "No partner can do this alone. We share our activities in one catalogue, we refer people to each other "
            "and we learn from what works and what does not."
        ),
        "fr": (
            "Aucun partenaire n’y arrive seul. Nous rassemblons nos activités dans un seul catalogue, nous orientons "
            "les personnes les uns vers les autres et nous apprenons de ce qui marche et de ce qui ne marche pas."
        ),
    },
    (
        "Twee keer per jaar komen alle partners samen. De coördinatoren van het netwerk houden deze visienota en de "
        "expertisepagina's bij."
    ): {
        "en": (
            "All partners meet twice a year. The network's coordinators keep this vision note and the expertise "
            "pages up to date."
        ),
        "fr": (
            "Tous les partenaires se réunissent deux fois par an. Les coordinateurs du réseau tiennent à jour cette "
            "note de vision et les pages d’expertise."
        ),
    },
    "Mensen in armoede spreken mee": {
        "en": "People in poverty have their say",
        "fr": "Les personnes en situation de pauvreté ont voix au chapitre",
    },
    (
        "Wie in armoede leeft, weet het best waar de drempels liggen. Daarom zitten mensen met ervaring, via Sta-An "
        "en de verenigingen waar armen het woord nemen, mee aan tafel."
    ): {
        "en": (
            "People who live in poverty know best where the thresholds are. That is why people with this experience "
            "have a seat at the table, through Sta-An and the associations where people in poverty speak for "
            "themselves."
        ),
        "fr": (
            "Les personnes qui vivent dans la pauvreté savent mieux que quiconque où se trouvent les obstacles. "
            "C’est pourquoi des personnes qui en ont l’expérience ont leur place à la table, par l’intermédiaire de "
            "Sta-An et des associations où les pauvres prennent la parole."
        ),
    },
    (
        "Zij lezen mee bij nieuwe teksten, testen het aanbod en zeggen wat beter kan. Hun stem telt even zwaar als "
        "die van de andere partners."
    ): {
        "en": (
            "They read new texts with us, try out the activities and tell us what could be better. Their voice "
            "carries as much weight as that of the other partners."
        ),
        "fr": (
            "Elles relisent les nouveaux textes, testent les activités et disent ce qui peut être amélioré. Leur voix "
            "compte autant que celle des autres partenaires."
        ),
    },
}

EXPERTISE_INDEX = {
    "title": "Expertise",
    "slug": "expertise",
    "intro": "Methodes en goede voorbeelden van de partners. Gebruik ze, pas ze aan en vertel ons wat werkt.",
}

FIRST_VISIT = {
    "title": "Eerste keer meegaan: zo begeleid je een eerste bezoek",
    "slug": "eerste-keer-meegaan",
    "theme": "guidance",
    "summary": (
        "De eerste keer ergens binnenstappen is de grootste drempel. Zo bereid je een eerste bezoek voor, "
        "ga je mee en volg je op."
    ),
    "body": [
        {
            "type": "method_steps",
            "value": {
                "heading": "Zo pak je het aan",
                "intro": "Deze stappen gebruiken de bemiddelaars van het OCMW.",
                "steps": [
                    {"title": "Bel vooraf naar het onthaal", "text": "Vraag wie jullie opwacht en waar."},
                    {
                        "title": "Spreek af op een vaste plek",
                        "text": "Bijvoorbeeld aan de tramhalte, tien minuten "
                        "voor de start. Dan hoeft niemand alleen binnen te gaan.",
                    },
                    {"title": "Stel de persoon voor", "text": "Aan de trainer of begeleider, met de voornaam."},
                    {
                        "title": "Blijf in de buurt",
                        "text": "Blijf de eerste keer tot het einde, of spreek af wanneer je weggaat.",
                    },
                    {
                        "title": "Vraag na een week hoe het ging",
                        "text": "Wat was fijn, wat was moeilijk, wil de persoon terug?",
                    },
                ],
            },
        },
        {
            "type": "case_story",
            "value": {
                "heading": "Amina gaat zwemmen",
                "story": "<p>Amina wilde graag leren zwemmen, maar durfde niet alleen naar het zwembad. Haar "
                "bemiddelaar ging de eerste twee keer mee en stelde haar voor aan de lesgever. Na een maand "
                "ging Amina alleen, samen met een buurvrouw.</p>",
                "lesson": "Twee keer meegaan was genoeg. De vaste lesgever maakte het verschil.",
            },
        },
        {
            "type": "quote",
            "value": {
                "quote": "Ik wist niet waar de kleedkamers waren. Nu lach ik erom.",
                "attribution": "een deelnemer aan de zwemlessen",
            },
        },
        {
            "type": "checklist",
            "value": {
                "heading": "Wat neem je mee?",
                "items": [
                    "het adres en de naam van de contactpersoon",
                    "de UiTPAS van de deelnemer",
                    "wat de deelnemer nodig heeft (kledij, materiaal)",
                    "je eigen telefoonnummer, op papier",
                ],
            },
        },
    ],
}

TARIFFS = {
    "title": "Kansentarief en UiTPAS uitleggen in klare taal",
    "slug": "kansentarief-en-uitpas-uitleggen",
    "theme": "thresholds",
    "summary": (
        "Veel mensen weten niet dat ze korting kunnen krijgen. Zo leg je het kansentarief en de UiTPAS eenvoudig uit."
    ),
    "body": [
        section(
            "Wat is het kansentarief?",
            "<p>Met een UiTPAS met kansenstatuut betaal je maar een klein deel van de prijs. Je krijgt die "
            "korting als je weinig inkomen hebt, bijvoorbeeld met een verhoogde tegemoetkoming.</p>",
        ),
        {
            "type": "method_steps",
            "value": {
                "heading": "Zo leg je het uit",
                "steps": [
                    {"title": "Begin bij de activiteit", "text": "Niet bij de regels: wat wil de persoon doen?"},
                    {
                        "title": "Noem de prijs die de persoon echt betaalt",
                        "text": "Zeg 'je betaalt 3 euro', niet 'je krijgt 80 procent korting'.",
                    },
                    {"title": "Toon de pas", "text": "Laat zien waar je de UiTPAS aanvraagt en hoe hij eruitziet."},
                ],
            },
        },
        {
            "type": "checklist",
            "value": {
                "heading": "Woorden die werken",
                "items": [
                    "'korting' in plaats van 'reductie'",
                    "'je betaalt' in plaats van 'de bijdrage bedraagt'",
                    "'pas' in plaats van 'kaart met kansenstatuut'",
                ],
            },
        },
    ],
}

THRESHOLD_SCAN = {
    "title": "Een drempelscan van je aanbod maken",
    "slug": "drempelscan",
    "theme": "cooperation",
    "summary": (
        "Bekijk je eigen aanbod door de ogen van iemand die het voor het eerst probeert. Doe het samen met "
        "mensen met ervaring in armoede."
    ),
    "body": [
        section(
            "Waarom een drempelscan?",
            "<p>Wie elke dag in een sporthal of cultuurhuis werkt, ziet de drempels niet meer. Een drempelscan "
            "maakt ze zichtbaar, zodat je ze kunt wegwerken.</p>",
        ),
        {
            "type": "method_steps",
            "value": {
                "heading": "In vier stappen",
                "steps": [
                    {
                        "title": "Nodig twee of drie ervaringsdeskundigen uit",
                        "text": "Via Sta-An of een vereniging waar armen het woord nemen. Vergoed hun tijd.",
                    },
                    {
                        "title": "Zoek samen informatie op",
                        "text": "Vind je de prijs, het adres en wat je moet meebrengen?",
                    },
                    {"title": "Kom samen langs", "text": "Hoe word je ontvangen? Is de weg duidelijk?"},
                    {
                        "title": "Kies drie verbeteringen",
                        "text": "Begin met wat snel kan, en vertel wat je veranderd hebt.",
                    },
                ],
            },
        },
        {
            "type": "quote",
            "value": {
                "quote": "Ze vroegen eindelijk wat wij ervan vonden, en ze deden er ook iets mee.",
                "attribution": "een ervaringsdeskundige",
            },
        },
    ],
}

THRESHOLD_SCAN_WORKSHEET = {
    "title": "Drempelscan – werkblad",
    "questions": [
        "Vind je op de website de prijs, ook met korting?",
        "Staat er hoe je er met het openbaar vervoer geraakt?",
        "Weet je wat je moet meebrengen?",
        "Wie ontvangt je de eerste keer?",
        "Heb je Nederlands nodig? Hoeveel?",
        "Kan er iemand gratis mee?",
    ],
}

NEWS_INDEX = {"title": "Nieuws", "slug": "nieuws", "intro": "Wat er beweegt in het netwerk."}

NEWS_ITEM = {
    "title": "Nieuwe visienota goedgekeurd",
    "slug": "nieuwe-visienota-goedgekeurd",
    "date": date(2026, 3, 20),
    "summary": "Alle partners keurden de nieuwe visienota goed. Nieuw: mensen in armoede spreken mee.",
    "body": [
        {
            "type": "text",
            "value": "<p>Op 15 maart 2026 keurden de partners van het netwerk de nieuwe visienota goed. De "
            "belangrijkste verandering: mensen met ervaring in armoede lezen mee bij nieuwe teksten en testen "
            "het aanbod.</p><p>Je kunt de visienota online lezen of downloaden als PDF.</p>",
        },
    ],
}

ACCESSIBILITY_STATEMENT = {
    "title": "Toegankelijkheidsverklaring",
    "slug": "toegankelijkheid",
    "scope": (
        "Deze verklaring geldt voor de website Vrijetijdsnet Antwerpen: de publieke pagina's, de catalogus "
        "met vrijetijdsaanbod en de zoekpagina's. We toetsen aan de richtlijnen WCAG 2.1, niveau AA."
    ),
    "status": "partial",
    "known_gaps": (
        "<ul><li>De PDF van de visienota is nog niet getagd voor schermlezers. Lees de visienota op de "
        "website: daar staat dezelfde tekst.</li>"
        "<li>Documenten die partners opladen, zijn niet altijd toegankelijk. Vraag ons een andere versie via "
        "het formulier hieronder.</li></ul>"
    ),
    "evaluation": (
        "Zelfevaluatie: bij elke nieuwe soort pagina controleren we automatisch met axe-core, op de breedte "
        "van een gsm en van een computerscherm, en we testen met alleen het toetsenbord."
    ),
    "prepared_on": date(2026, 3, 15),
    "review_date": date(2027, 3, 15),
    "feedback_intro": (
        "Werkt iets niet, of is iets moeilijk te lezen? Laat het ons weten. We antwoorden binnen tien werkdagen."
    ),
    "thank_you_text": "Bedankt. We bekijken je melding en laten iets weten als je een e-mailadres gaf.",
    "subject": "Melding toegankelijkheid",
    "fields": [
        ("Wat werkt niet of is moeilijk?", "multiline", True, ""),
        ("Op welke pagina was dat?", "singleline", False, "Het adres of de titel van de pagina."),
        ("Je e-mailadres, als je een antwoord wilt", "email", False, ""),
    ],
}

CONTACT = {
    "title": "Contact",
    "slug": "contact",
    "intro": "Heb je een vraag over het netwerk, de catalogus of een activiteit? Stuur ons een bericht.",
    "contact_details": (
        "<p>Coördinatie Vrijetijdsnet Antwerpen (demo)<br>Telefoon: 03 000 00 00, op werkdagen van 9 tot 12 uur</p>"
    ),
    "thank_you_text": "Bedankt voor je bericht. We antwoorden binnen vijf werkdagen.",
    "subject": "Bericht via de website",
    "fields": [
        ("Je vraag", "multiline", True, ""),
        ("Hoe kunnen we je bereiken?", "singleline", True, "Een e-mailadres of telefoonnummer."),
        ("Wie ben je?", "dropdown", False, ""),
    ],
    "who_choices": "Bewoner\nBemiddelaar\nPartner\nAndere",
}

# The coordinators' shared mailbox in the demo; a real network sets its own in the page's e-mail panel.
COORDINATOR_EMAIL = "coordinatie@vrijetijdsnet.example"


@dataclass(frozen=True)
class NetworkTexts:
    """One network's own texts: its vision note (each version published in turn), statement and contact page.

    Expertise and news are the same on every demo network.
    """

    vision_note: dict
    vision_note_versions: tuple[dict, ...]
    accessibility_statement: dict
    contact: dict
    coordinator_email: str


ANTWERPEN = NetworkTexts(
    vision_note=VISION_NOTE,
    vision_note_versions=(VISION_NOTE_2025, VISION_NOTE_2026),
    accessibility_statement=ACCESSIBILITY_STATEMENT,
    contact=CONTACT,
    coordinator_email=COORDINATOR_EMAIL,
)
