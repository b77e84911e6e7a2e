"""One import row into an ``OfferInput``: the spreadsheet's columns, cell parsing, and every error per field.

The column table is the spreadsheet's format: Dutch column names (the partners' language; they are
identifiers, not translated), each with a one-line explanation in plain Dutch that the template
shows in its second row. Cell problems never stop the rest of a row from being read, so an editor
sees every mistake of a row at once. The same ``ImportItem`` carries a UiTdatabank document
(``catalogue.importing.uitdatabank``); model-level errors (``OfferPage.clean``) are added when the
item is written, mapped back to the column or document field that fed them.
"""

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..csv_export import FORMULA_STARTS
from ..facts import ACCESSIBILITY_FACTS, FINANCIAL_FACTS, GROUPS_WELCOME, LANGUAGE_FACTS, PRACTICAL_FACTS, SOCIAL_FACTS
from ..geocoding import Failure, GeocodingError, locate
from ..models import (
    Availability,
    Commitment,
    Domain,
    DutchLevel,
    ExtraCostKind,
    Language,
    OfferExtraCost,
    OfferPage,
    OfferTimeSlot,
    PriceUnit,
    ReducedTariff,
    Registration,
    Source,
    Theme,
)
from ..public_urls import public_url
from ..services import OfferInput

Message = str | Promise
T = TypeVar("T")


@dataclass(frozen=True)
class ItemError:
    """What is wrong and where: a spreadsheet row and column, or a feed document and its field."""

    column: str
    message: Message
    row: int | None = None
    document: str = ""

    def __str__(self) -> str:
        if self.row is not None:
            return gettext("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return gettext("%(document)s, field %(column)s: %(message)s") % {
            "document": self.document,
            "column": self.column,
            "message": self.message,
        }


class CellError(Exception):
    """A value that cannot be read; the message says what is expected instead."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class ImportItem:
    """One row or document: what to write (``data``), or why not (``errors``).

    ``withdrawn`` marks a document that says its offer no longer takes place (a cancelled
    UiTdatabank event): the import takes such an offer offline instead of writing it.
    ``columns`` maps model fields to the column or document field that fed them, so a model-level
    error names the place the editor has to fix.
    """

    external_id: str
    data: OfferInput | None = None
    errors: list[ItemError] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    withdrawn: bool = False
    columns: Mapping[str, str] = field(default_factory=dict)
    row: int | None = None
    document: str = ""
    name: str = ""  # the title as given, to recognise a refused item by
    # Rich-text fields given as plain text (a spreadsheet cell): an offer whose markup reads as the same
    # text keeps its markup, links and all, so an unchanged re-import changes nothing.
    plain_text: frozenset[str] = frozenset()
    exported_for: str = ""  # the organisation a row of the open-data export names, to refuse another's offers

    @property
    def label(self) -> str:
        if self.row is not None:
            return gettext("Row %(row)s") % {"row": self.row}
        return self.document

    @property
    def title(self) -> str:
        return self.data.values.get("title", "") if self.data else self.name

    def error(self, column: str, message: Message) -> None:
        self.errors.append(ItemError(column=column, message=message, row=self.row, document=self.document))

    def field_error(self, field_name: str, message: Message) -> None:
        self.error(self.columns.get(field_name, field_name), message)

    def read(self, column: str, parse: Callable[[], T]) -> T | None:
        """Run one cell's parser; a problem becomes an error of this item and the value None."""
        try:
            return parse()
        except CellError as problem:
            self.error(column, problem.message)
            return None


@dataclass
class ParsedFeed:
    """A whole file or feed, read: its items, and problems that make the file unusable as a whole."""

    items: list[ImportItem] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)


def mark_duplicates(items: list[ImportItem]) -> None:
    """Refuse the second and later items with the same external id: each offer needs its own."""
    first_seen: dict[str, ImportItem] = {}
    for item in items:
        if not item.external_id:
            continue
        first = first_seen.setdefault(item.external_id, item)
        if first is not item:
            item.data = None
            item.field_error(
                "external_id",
                _("This external id already appears in %(first)s; every offer needs its own.") % {"first": first.label},
            )


# Reading cells -------------------------------------------------------------------------------

TRUE_WORDS = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "onwaar", "false", "0"}


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value: Any) -> str:
    """Trimmed text; a whole number that a spreadsheet stored as 2060.0 reads as '2060'."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").strip()
    # The export puts an apostrophe before text a spreadsheet would run as a formula (``csv_export``).
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def parse_yes_no(value: Any) -> bool | None:
    """ja/nee (also yes/no, 1/0, x); None when the cell is empty."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    word = parse_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write “ja” or “nee”."))


def parse_bool(value: Any) -> bool:
    """ja/nee, where an empty cell means nee."""
    return bool(parse_yes_no(value))


def parse_amount(value: Any) -> Decimal | None:
    """An amount in euro with a decimal comma ('12,50', '€ 1.250,00', 'gratis'); None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Write an amount such as 12,50."))
    if isinstance(value, int | float):
        text = str(value)
    else:
        text = parse_text(value).lower().replace("€", "").replace("eur", "").replace("\xa0", "").replace(" ", "")
        if text == "gratis":
            return Decimal("0.00")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Write an amount such as 12,50.")) from None
    if not amount.is_finite():
        raise CellError(_("Write an amount such as 12,50."))
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(_("Give at most two decimals, e.g. 12,50."))
    return amount.quantize(Decimal("0.01"))


def parse_number(value: Any) -> float | None:
    """A decimal number such as a coordinate, with a decimal comma or point; None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Write a number such as 51,2194."))
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(parse_text(value).replace(",", "."))
    except ValueError:
        raise CellError(_("Write a number such as 51,2194.")) from None


def parse_whole(value: Any) -> int | None:
    """A whole number; None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = parse_text(value)
    if text.isdigit():
        return int(text)
    raise CellError(_("Write a whole number, e.g. 12."))


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_date(value: Any) -> date | None:
    """A date as dd/mm/yyyy (or a spreadsheet's own date cell); None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = parse_text(value)
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise CellError(_("Write a date as dd/mm/yyyy, e.g. 31/12/2026."))


def parse_choice(value: Any, choices: Mapping[str, T]) -> T | None:
    """One of a fixed set of words (case-insensitive); None when empty."""
    if is_empty(value):
        return None
    word = parse_text(value).lower()
    if word in choices:
        return choices[word]
    raise CellError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})


def split_list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", parse_text(value)) if part.strip()]


WEEKDAY_WORDS = {
    "ma": 0,
    "maandag": 0,
    "di": 1,
    "dinsdag": 1,
    "wo": 2,
    "woensdag": 2,
    "do": 3,
    "donderdag": 3,
    "vr": 4,
    "vrijdag": 4,
    "za": 5,
    "zaterdag": 5,
    "zo": 6,
    "zondag": 6,
}
_TIME = r"\d{1,2}(?:[:.hu]\d{2})?"
SLOT_PATTERN = re.compile(rf"^(?P<day>[a-z]+)\.?\s+(?P<start>{_TIME})u?\s*(?:-|–|tot)\s*(?P<end>{_TIME})u?$")


def _clock(text: str) -> time:
    """'14:00', '14.30', '14u30' or '14' as a time of day; ValueError when there is no such time."""
    hour, _separator, minute = re.sub(r"[.hu]", ":", text).partition(":")
    return time(int(hour), int(minute or 0))


def parse_time_slots(value: Any) -> list[OfferTimeSlot]:
    """Weekly moments in one cell: 'wo 14:00-16:00; za 10:00-12:00'."""
    slots = []
    for part in split_list(value):
        match = SLOT_PATTERN.match(part.lower())
        if not match:
            raise CellError(_("Write moments like “wo 14:00-16:00; za 10:00-12:00”."))
        if match["day"] not in WEEKDAY_WORDS:
            raise CellError(_("“%(slot)s”: start with a day such as ma, di, wo, do, vr, za or zo.") % {"slot": part})
        try:
            start, end = _clock(match["start"]), _clock(match["end"])
        except ValueError:
            raise CellError(_("Write moments like “wo 14:00-16:00; za 10:00-12:00”.")) from None
        if end <= start:
            raise CellError(_("“%(slot)s”: the end time must be after the start time.") % {"slot": part})
        slots.append(OfferTimeSlot(weekday=WEEKDAY_WORDS[match["day"]], start_time=start, end_time=end))
    return slots


EXTRA_COST_WORDS = {
    "materiaal": ExtraCostKind.MATERIAL,
    "kledij": ExtraCostKind.CLOTHING,
    "lidgeld": ExtraCostKind.MEMBERSHIP,
    "verzekering": ExtraCostKind.INSURANCE,
    "ander": ExtraCostKind.OTHER,
    "andere": ExtraCostKind.OTHER,
    **{kind.value: kind for kind in ExtraCostKind},
}
EXTRA_COST_PATTERN = re.compile(
    r"^(?P<kind>[a-z]+)\s+(?P<amount>[€\d.,\s]+?)\s*(?P<optional>optioneel)?\s*(?:\((?P<description>.*)\))?$",
    re.IGNORECASE | re.DOTALL,
)
# A semicolon separates costs, except inside a cost's description in brackets.
COST_SEPARATOR = re.compile(r";(?![^()]*\))|\n")


def parse_extra_costs(value: Any) -> list[OfferExtraCost]:
    """Extra costs in one cell: 'materiaal 5,00 (badmuts); verzekering 12,50 optioneel'."""
    costs = []
    for part in (part.strip() for part in COST_SEPARATOR.split(parse_text(value))):
        if not part:
            continue
        match = EXTRA_COST_PATTERN.match(part)
        if not match or match["kind"].lower() not in EXTRA_COST_WORDS:
            raise CellError(
                _("Write extra costs like “materiaal 5,00; verzekering 12,50 optioneel” (kinds: %(kinds)s).")
                % {"kinds": "materiaal, kledij, lidgeld, verzekering, ander"}
            )
        costs.append(
            OfferExtraCost(
                kind=EXTRA_COST_WORDS[match["kind"].lower()],
                amount=parse_amount(match["amount"]),
                required=not match["optional"],
                description=(match["description"] or "").strip(),
            )
        )
    return costs


def extra_costs_text(costs: Iterable[OfferExtraCost]) -> str:
    """The extra costs as the template writes them; ``parse_extra_costs`` reads this back."""
    return "; ".join(
        f"{word_for(EXTRA_COST_WORDS, cost.kind)} {amount_text(cost.amount)}"
        + ("" if cost.required else " optioneel")
        + (f" ({cost.description})" if cost.description else "")
        for cost in costs
    )


def text_to_html(text: str) -> str:
    """Plain text as safe rich text: paragraphs on blank lines, line breaks kept."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{'<br/>'.join(html.escape(line) for line in part.splitlines())}</p>" for part in paragraphs)


BLOCK_TAGS = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr"}


class _TextCollector(HTMLParser):
    """Rich text's words: a paragraph break at every block, a line break at every <br> and list item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[""]]

    def _break_paragraph(self) -> None:
        if self.paragraphs[-1] != [""]:
            self.paragraphs.append([""])

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "li"):
            self.paragraphs[-1].append("• " if tag == "li" else "")
        elif tag in BLOCK_TAGS:
            self._break_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._break_paragraph()

    def handle_data(self, data: str) -> None:
        self.paragraphs[-1][-1] += data

    def text(self) -> str:
        paragraphs = []
        for lines in self.paragraphs:
            lines = [re.sub(r"\s+", " ", line).strip() for line in lines]
            if text := "\n".join(line for line in lines if line and line != "•"):
                paragraphs.append(text)
        return "\n\n".join(paragraphs)


def html_to_text(markup: str) -> str:
    """Rich text as plain text: entities decoded, blank lines between paragraphs, list items as '• ' lines.

    ``text_to_html`` reads the result back into paragraphs; the text of that reads the same again.
    """
    collector = _TextCollector()
    collector.feed(markup or "")
    collector.close()
    return collector.text()


class References:
    """Themes and languages, read once per import rather than once per row."""

    def __init__(self) -> None:
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            self.themes[theme.name.lower()] = theme
            self.themes[theme.slug.lower()] = theme
        self.languages: dict[str, Language] = {}
        for language in Language.objects.all():
            self.languages[language.name.lower()] = language
            self.languages[language.code.lower()] = language

    def themes_named(self, names: list[str]) -> list[Theme]:
        unknown = [name for name in names if name.lower() not in self.themes]
        if unknown:
            raise CellError(
                _("Unknown theme: %(names)s. Use a theme's name or code from the list.") % {"names": ", ".join(unknown)}
            )
        return list({self.themes[name.lower()].pk: self.themes[name.lower()] for name in names}.values())

    def languages_coded(self, codes: list[str]) -> list[Language]:
        unknown = [code for code in codes if code.lower() not in self.languages]
        if unknown:
            raise CellError(
                _("Unknown language: %(codes)s. Use codes such as fr, en, ar.") % {"codes": ", ".join(unknown)}
            )
        return list({self.languages[code.lower()].pk: self.languages[code.lower()] for code in codes}.values())


# The spreadsheet's columns -------------------------------------------------------------------

Reader = Callable[[Any, References], Any]
Writer = Callable[[OfferPage], object]


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its Dutch name, the offer field it fills, how to read it, its explanation,
    and how the open-data CSV writes it (the field as it is, unless ``write`` says otherwise), so that an
    exported row reads back into the same offer."""

    name: str
    field: str
    read: Reader
    help: str
    required: bool = False
    default: Any = None
    write: Writer | None = None

    def export(self, offer: OfferPage) -> object:
        return self.write(offer) if self.write else getattr(offer, self.field)


# Writing cells, as the template's readers read them back --------------------------------------

UNKNOWN = "onbekend"  # a price nobody gave; the template is Dutch throughout


def word_for(words: Mapping[str, object], value: object) -> str:
    """The template's first (Dutch) word for a value: 'cultuur' for Domain.CULTURE."""
    return next((word for word, meaning in words.items() if meaning == value), str(value))


def yes_no_text(value: bool) -> str:
    return "ja" if value else "nee"


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def number_text(value: float | int | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def moment_text(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _yes_no_of(name: str) -> Writer:
    return lambda offer: yes_no_text(getattr(offer, name))


def _word_of(words: Mapping[str, object], name: str) -> Writer:
    return lambda offer: word_for(words, getattr(offer, name))


def _number_of(name: str) -> Writer:
    return lambda offer: number_text(getattr(offer, name))


def _text(value: Any, refs: References) -> str:
    return parse_text(value)


def _yes_no(value: Any, refs: References) -> bool:
    return parse_bool(value)


def _choice(choices: Mapping[str, Any]) -> Reader:
    return lambda value, refs: parse_choice(value, choices)


DOMAIN_WORDS = {
    "sport": Domain.SPORT,
    "cultuur": Domain.CULTURE,
    "jeugd": Domain.YOUTH,
    "jeugdwerk": Domain.YOUTH,
    "ander": Domain.OTHER,
    "andere": Domain.OTHER,
    **{domain.value: domain for domain in Domain},
}
PRICE_UNIT_WORDS = {
    "beurt": PriceUnit.SESSION,
    "keer": PriceUnit.SESSION,
    "maand": PriceUnit.MONTH,
    "seizoen": PriceUnit.SEASON,
    "jaar": PriceUnit.YEAR,
    "eenmalig": PriceUnit.ONCE,
    **{unit.value: unit for unit in PriceUnit},
}
COMMITMENT_WORDS = {
    "eenmalig": Commitment.SINGLE,
    "vrij": Commitment.DROP_IN,
    "reeks": Commitment.SERIES,
    "seizoen": Commitment.SEASON,
    **{commitment.value: commitment for commitment in Commitment},
}
AVAILABILITY_WORDS = {
    "plaats": Availability.AVAILABLE,
    "volzet": Availability.FULLY_BOOKED,
    "uitgesteld": Availability.POSTPONED,
    **{availability.value: availability for availability in Availability},
}
DUTCH_LEVEL_WORDS = {
    "geen": DutchLevel.NONE,
    "basis": DutchLevel.BASIC,
    "goed": DutchLevel.GOOD,
    **{str(level.value): level for level in DutchLevel},
}


def _fact_columns(facts) -> list[Column]:
    return [
        Column(fact.column, fact.field, _yes_no, f"ja of nee: {fact.question}", write=_yes_no_of(fact.field))
        for fact in facts
    ]


def _price(value: Any, refs: References) -> Decimal | None:
    """An amount, or “onbekend”: the price is not known (never read as free)."""
    return None if parse_text(value).lower() == UNKNOWN else parse_amount(value)


def _last_confirmed(value: Any, refs: References) -> date | None:
    confirmed = parse_date(value)
    if confirmed is not None and confirmed > timezone.localdate():
        raise CellError(_("This date lies in the future; give the day the offer was last checked."))
    return confirmed


def _reduced_tariff_is(*tariffs: str) -> Writer:
    return lambda offer: yes_no_text(offer.reduced_tariff in tariffs)


def _registration(value: Any, refs: References) -> str | None:
    needed = parse_yes_no(value)
    if needed is None:
        return None
    return Registration.REQUIRED if needed else Registration.WALK_IN


COLUMNS: tuple[Column, ...] = (
    Column(
        "extern_id",
        "external_id",
        _text,
        "Jouw eigen code voor dit aanbod, bijvoorbeeld ZWEM-01. Verander die code nooit: "
        "zo weet het portaal welk aanbod je aanpast.",
        required=True,
    ),
    Column("titel", "title", _text, "De naam van het aanbod, kort en duidelijk.", required=True),
    Column(
        "domein",
        "domain",
        _choice(DOMAIN_WORDS),
        "sport, cultuur, jeugd of ander.",
        required=True,
        write=_word_of(DOMAIN_WORDS, "domain"),
    ),
    Column(
        "samenvatting",
        "plain_summary",
        _text,
        "Twee of drie korte zinnen in klare taal: wat doe je, voor wie, wat kost het.",
        required=True,
    ),
    Column(
        "beschrijving",
        "description",
        lambda value, refs: text_to_html(parse_text(value)),
        "Meer uitleg. Laat een lege regel tussen twee alinea's.",
        write=lambda offer: html_to_text(offer.description),
    ),
    Column("eerste_bezoek", "first_visit", _text, "Hoe gaat de eerste keer? Wie ontvangt je, wat gebeurt er?"),
    Column(
        "themas",
        "themes",
        lambda value, refs: refs.themes_named(split_list(value)),
        "Een of meer thema's, gescheiden door een puntkomma. Bijvoorbeeld: Zwemmen; Dans.",
        default=list,
        write=lambda offer: "; ".join(theme.name for theme in offer.themes.all()),
    ),
    Column(
        "leeftijd_min",
        "age_min",
        lambda value, refs: parse_whole(value),
        "Vanaf welke leeftijd? Leeg: iedereen.",
        write=_number_of("age_min"),
    ),
    Column(
        "leeftijd_max",
        "age_max",
        lambda value, refs: parse_whole(value),
        "Tot welke leeftijd? Leeg: iedereen.",
        write=_number_of("age_max"),
    ),
    Column(
        "voor_gezinnen",
        "for_families",
        _yes_no,
        "ja of nee: is het voor gezinnen?",
        write=_yes_no_of("for_families"),
    ),
    Column(
        "voor_groepen",
        "for_groups",
        _yes_no,
        "ja of nee: kunnen groepen samen komen?",
        write=_yes_no_of("for_groups"),
    ),
    Column(
        "prijs",
        "list_price",
        _price,
        "De gewone prijs in euro, bijvoorbeeld 12,50. Schrijf 0 als het gratis is, onbekend als je het niet weet.",
        required=True,
        write=lambda offer: UNKNOWN if offer.list_price is None else amount_text(offer.list_price),
    ),
    Column(
        "prijs_per",
        "price_unit",
        _choice(PRICE_UNIT_WORDS),
        "Wat je voor die prijs krijgt: beurt, maand, seizoen, jaar of eenmalig. Leeg: per beurt.",
        default=PriceUnit.SESSION,
        write=_word_of(PRICE_UNIT_WORDS, "price_unit"),
    ),
    Column(
        "kansentarief",
        "reduced_tariff",
        _yes_no,
        "ja of nee: is er een UiTPAS-kansentarief?",
        write=_reduced_tariff_is(ReducedTariff.UITPAS, ReducedTariff.BOTH),
    ),
    Column(
        "sociaal_tarief",
        "reduced_tariff",
        _yes_no,
        "ja of nee: hebben jullie een eigen sociaal tarief?",
        write=_reduced_tariff_is(ReducedTariff.SOCIAL, ReducedTariff.BOTH),
    ),
    Column(
        "verlaagde_prijs",
        "reduced_price",
        lambda value, refs: parse_amount(value),
        "De prijs met kansentarief of sociaal tarief, bijvoorbeeld 2,50.",
        write=lambda offer: amount_text(offer.reduced_price),
    ),
    Column(
        "verlaagde_prijs_voor_wie",
        "reduced_price_who",
        _text,
        "Wie krijgt de verlaagde prijs? Bijvoorbeeld: UiTPAS met kansenstatuut, verhoogde tegemoetkoming.",
    ),
    Column(
        "extra_kosten",
        "extra_costs",
        lambda value, refs: parse_extra_costs(value),
        "Kosten bovenop de prijs: soort en bedrag, gescheiden door een puntkomma. Soorten: materiaal, kledij, "
        "lidgeld, verzekering, ander. Zet optioneel erachter als het niet moet, en tussen haakjes waarvoor. "
        "Bijvoorbeeld: materiaal 5,00 (badmuts); verzekering 12,50 optioneel.",
        default=list,
        write=lambda offer: extra_costs_text(offer.extra_costs.all()),
    ),
    *_fact_columns(FINANCIAL_FACTS),
    Column("straat", "street_address", _text, "Straat en huisnummer waar het doorgaat.", required=True),
    Column("postcode", "postal_code", _text, "Vier cijfers, bijvoorbeeld 2060.", required=True),
    Column(
        "gemeente",
        "city",
        _text,
        "De gemeente. Leeg: Antwerpen.",
        default=lambda: OfferPage._meta.get_field("city").default,
    ),
    Column(
        "breedtegraad",
        "latitude",
        lambda value, refs: parse_number(value),
        "Mag leeg: dan zoekt het portaal de plek op in het adressenregister van Vlaanderen, uit straat, postcode "
        "en gemeente. Alleen invullen als dat adres niet volstaat, bijvoorbeeld 51,2194. De wijk volgt vanzelf.",
        write=_number_of("latitude"),
    ),
    Column(
        "lengtegraad",
        "longitude",
        lambda value, refs: parse_number(value),
        "Mag leeg, zoals breedtegraad. Bijvoorbeeld 4,4025.",
        write=_number_of("longitude"),
    ),
    Column(
        "halte",
        "public_transport_stop",
        _text,
        "De dichtste halte van tram of bus. Bijvoorbeeld: tram 3 en 5, halte Schijnpoort.",
    ),
    Column(
        "inschrijven",
        "registration",
        _registration,
        "ja als je op voorhand moet inschrijven, nee als je gewoon binnen mag lopen. Leeg: ja.",
        default=Registration.REQUIRED,
        write=lambda offer: yes_no_text(offer.registration == Registration.REQUIRED),
    ),
    Column(
        "beschikbaarheid",
        "availability",
        _choice(AVAILABILITY_WORDS),
        "plaats (er is nog plaats), volzet of uitgesteld (uitgesteld of tijdelijk gesloten). Leeg: niet gezegd.",
        default=Availability.UNKNOWN,
        write=_word_of(AVAILABILITY_WORDS, "availability"),
    ),
    Column("plaatsen", "capacity", lambda value, refs: parse_whole(value), "Hoeveel plaatsen zijn er in totaal?"),
    Column(
        "kansenplaatsen",
        "reserved_places",
        lambda value, refs: parse_whole(value),
        "Hoeveel plaatsen houden jullie vrij voor mensen die het netwerk doorverwijst?",
    ),
    Column(
        "kansenplaats_prijs",
        "reserved_price",
        lambda value, refs: parse_amount(value),
        "Wat kost een vrijgehouden plaats? Bijvoorbeeld 2,50; 0 als ze gratis is.",
        write=lambda offer: amount_text(offer.reserved_price),
    ),
    Column(
        "kansenplaatsen_tot",
        "reserved_until",
        lambda value, refs: parse_date(value),
        "Tot wanneer houden jullie ze vrij, als dd/mm/jjjj. Leeg: zolang het aanbod loopt.",
        write=lambda offer: date_text(offer.reserved_until),
    ),
    Column(
        "groepsprogramma",
        "is_group_programme",
        _yes_no,
        "ja of nee: is het een groepsprogramma, een vaste groep met een begin, een einde en een begeleider?",
        write=_yes_no_of("is_group_programme"),
    ),
    Column("begeleider", "guide_name", _text, "Wie begeleidt de groep? De naam van de professional."),
    Column("begeleider_telefoon", "guide_phone", _text, "Werktelefoon van die begeleider."),
    Column(
        "voor_wie", "audience_note", _text, "Voor wie is het groepsprogramma? Bijvoorbeeld: ouders met kleine kinderen."
    ),
    *_fact_columns(PRACTICAL_FACTS),
    Column("meebrengen", "what_to_bring", _text, "Wat breng je mee? Bijvoorbeeld: sportkleren en een flesje water."),
    Column(
        "engagement",
        "commitment",
        _choice(COMMITMENT_WORDS),
        "Hoe lang engageer je je: eenmalig, vrij (kom wanneer je wil), reeks of seizoen. Leeg: vrij.",
        default=Commitment.DROP_IN,
        write=_word_of(COMMITMENT_WORDS, "commitment"),
    ),
    Column(
        "startdatum",
        "start_date",
        lambda value, refs: parse_date(value),
        "De eerste dag, als dd/mm/jjjj. Leeg als het aanbod altijd loopt.",
        write=lambda offer: date_text(offer.start_date),
    ),
    Column(
        "einddatum",
        "end_date",
        lambda value, refs: parse_date(value),
        "De laatste dag, als dd/mm/jjjj.",
        write=lambda offer: date_text(offer.end_date),
    ),
    Column(
        "momenten",
        "time_slots",
        lambda value, refs: parse_time_slots(value),
        "Vaste momenten in de week: dag en uren, gescheiden door een puntkomma. "
        "Bijvoorbeeld: wo 14:00-16:00; za 10:00-12:00.",
        default=list,
        write=lambda offer: "; ".join(
            f"{word_for(WEEKDAY_WORDS, slot.weekday)} {slot.start_time:%H:%M}-{slot.end_time:%H:%M}"
            for slot in offer.time_slots.all()
        ),
    ),
    Column("planning_opmerking", "schedule_note", _text, "Bijvoorbeeld: niet tijdens de schoolvakanties."),
    *_fact_columns(ACCESSIBILITY_FACTS),
    Column("onthaal_naam", "welcome_contact_name", _text, "Wie ontvangt nieuwe mensen? Een voornaam is genoeg."),
    Column("onthaal_telefoon", "welcome_contact_phone", _text, "Telefoon van die persoon."),
    *_fact_columns(SOCIAL_FACTS),
    Column(
        "max_groep",
        "group_size_max",
        lambda value, refs: parse_whole(value),
        "Hoeveel mensen zijn er hoogstens?",
        write=_number_of("group_size_max"),
    ),
    *_fact_columns(GROUPS_WELCOME),
    Column(
        "nederlands_nodig",
        "dutch_level",
        _choice(DUTCH_LEVEL_WORDS),
        "Hoeveel Nederlands heb je nodig: geen, basis of goed. Leeg: geen.",
        default=DutchLevel.NONE,
        write=_word_of(DUTCH_LEVEL_WORDS, "dutch_level"),
    ),
    Column(
        "talen",
        "languages",
        lambda value, refs: refs.languages_coded(split_list(value)),
        "Andere talen die er gesproken worden, als code, gescheiden door een puntkomma. Bijvoorbeeld: fr; en; ar.",
        default=list,
        write=lambda offer: "; ".join(sorted(language.code for language in offer.languages.all())),
    ),
    *_fact_columns(LANGUAGE_FACTS),
    Column(
        "contact_naam",
        "referral_contact_name",
        _text,
        "Wie contacteert een bemiddelaar om iemand door te verwijzen?",
        required=True,
    ),
    Column("contact_email", "referral_contact_email", _text, "E-mailadres van die contactpersoon.", required=True),
    Column("contact_telefoon", "referral_contact_phone", _text, "Telefoon van die contactpersoon."),
    Column(
        "laatst_bevestigd",
        "last_confirmed",
        _last_confirmed,
        "De dag waarop je dit aanbod het laatst nakeek, als dd/mm/jjjj. Leeg: een bestaand aanbod houdt zijn "
        "datum, een nieuw krijgt vandaag.",
        write=lambda offer: date_text(offer.last_confirmed),
    ),
)

# The open-data CSV writes the template's columns, in order, so a partner can export, edit and import it
# again without loss (``catalogue.feeds``); then these, which only an export has and the import passes over.
EXPORT_ONLY_COLUMNS: tuple[tuple[str, Writer], ...] = (
    ("id", lambda offer: offer.pk),
    ("organisatie", lambda offer: offer.organisation.name),
    ("gratis", lambda offer: UNKNOWN if offer.list_price is None else yes_no_text(offer.is_free)),
    # Antwerp's own neighbourhood and district; empty for an offer elsewhere.
    ("wijk", lambda offer: offer.neighbourhood.name if offer.neighbourhood else ""),
    ("wijkcode", lambda offer: offer.neighbourhood.code if offer.neighbourhood else ""),
    ("district", lambda offer: offer.neighbourhood.district.name if offer.neighbourhood else ""),
    ("laatst_gepubliceerd", lambda offer: moment_text(offer.last_published_at)),
    ("link", lambda offer: public_url(offer) or ""),
)
EXPORT_ONLY_NAMES = frozenset(name for name, _write in EXPORT_ONLY_COLUMNS)
# Model fields that an empty cell leaves as they are, rather than empty.
KEPT_WHEN_EMPTY = frozenset({"last_confirmed"})

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
YES_NO_COLUMNS: tuple[str, ...] = tuple(column.name for column in COLUMNS if column.read in (_yes_no, _registration))
RELATIONS = ("themes", "languages", "time_slots", "extra_costs")
# Model field -> the column an editor fixes; the reduced tariff comes from two columns, the first names it.
FIELD_COLUMNS: dict[str, str] = {
    **{column.field: column.name for column in reversed(COLUMNS)},
    "neighbourhood": "breedtegraad",
}
# Other spellings of a header that mean the same column.
HEADER_ALIASES = {
    "latitude": "breedtegraad",
    "longitude": "lengtegraad",
    "thema's": "themas",
    "external_id": "extern_id",
}


def normalise_header(text: Any) -> str:
    name = re.sub(r"[\s\-]+", "_", parse_text(text).lower())
    return HEADER_ALIASES.get(name, name)


def _reduced_tariff(uitpas: bool, social: bool) -> str:
    if uitpas and social:
        return ReducedTariff.BOTH
    if uitpas:
        return ReducedTariff.UITPAS
    if social:
        return ReducedTariff.SOCIAL
    return ReducedTariff.NONE


def read_row(cells: Mapping[str, Any], *, row: int, refs: References) -> ImportItem:
    """One spreadsheet row (cells keyed by column name) into an item with its offer input or its errors."""
    item = ImportItem(
        external_id=parse_text(cells.get("extern_id")),
        row=row,
        columns=FIELD_COLUMNS,
        name=parse_text(cells.get("titel")),
        plain_text=frozenset({"description"}),
    )
    parsed: dict[str, Any] = {}
    for column in COLUMNS:
        raw = cells.get(column.name)
        if column.required and is_empty(raw):
            item.error(column.name, _("This column is required."))
            continue
        parsed[column.name] = item.read(column.name, lambda column=column, raw=raw: column.read(raw, refs))
    if item.errors:
        return item
    values: dict[str, Any] = {"source": Source.SPREADSHEET}
    relations: dict[str, list] = {}
    for column in COLUMNS:
        value = parsed[column.name]
        if column.default is not None and (value is None or value == ""):
            value = column.default() if callable(column.default) else column.default
        if column.field in RELATIONS:
            relations[column.field] = value
        elif column.field in KEPT_WHEN_EMPTY and value is None:
            continue
        elif column.field != "reduced_tariff":
            values[column.field] = value
    values["reduced_tariff"] = _reduced_tariff(parsed["kansentarief"], parsed["sociaal_tarief"])
    place_from_address(item, values)
    if item.errors:
        return item
    item.data = OfferInput(values=values, **relations)
    return item


ADDRESS_COLUMNS = ("straat", "postcode", "gemeente")
PLACE_MESSAGES = {
    Failure.UNKNOWN: _(
        "Flanders' address register does not know “%(address)s”: check the columns %(columns)s, or fill in "
        "breedtegraad and lengtegraad."
    ),
    Failure.AMBIGUOUS: _(
        "Flanders' address register finds “%(address)s” in more than one place (%(candidates)s): make the columns "
        "%(columns)s more precise, or fill in breedtegraad and lengtegraad."
    ),
    Failure.UNAVAILABLE: _(
        "Flanders' address register did not answer, so the point could not be found from the columns "
        "%(columns)s: upload the file again later, or fill in breedtegraad and lengtegraad."
    ),
}


def place_from_address(item: ImportItem, values: dict[str, Any]) -> None:
    """A row with an address and no point gets the point from the geocoder; half a point is refused."""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if latitude is not None and longitude is not None:
        return
    if latitude is not None or longitude is not None:
        item.error(
            "lengtegraad" if longitude is None else "breedtegraad",
            _("Fill in both breedtegraad and lengtegraad, or neither: the point is then found from the address."),
        )
        return
    try:
        located = locate(
            street_address=values["street_address"], postal_code=values["postal_code"], city=values["city"]
        )
    except GeocodingError as error:
        columns = [FIELD_COLUMNS[name] for name in error.fields]
        address = f"{values['street_address']}, {values['postal_code']} {values['city']}"
        message = PLACE_MESSAGES[error.failure] % {
            "address": address,
            "columns": ", ".join(ADDRESS_COLUMNS if error.failure == Failure.UNAVAILABLE else columns),
            "candidates": "; ".join(error.candidates),
        }
        item.error(columns[0], message)
        return
    values["latitude"], values["longitude"] = located.latitude, located.longitude
