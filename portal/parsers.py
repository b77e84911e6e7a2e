"""The API's JSON parser: text with a NUL character, and bodies nested deeper than any offer, are refused.

PostgreSQL cannot store NUL in text and fails the whole query, so a lookup or a write with such a
value would become a server error deep in a view; here it is a 400 for the request as a whole. A
body nested thousands of levels deep exhausts Python's recursion while it is parsed or validated;
an offer is a handful of levels deep, so anything past ``MAX_DEPTH`` is refused the same way.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _problem(data: Any) -> str | None:
    """What is wrong with the parsed body, walked without recursion; None when nothing is."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return str(_("Text in the request may not contain NUL characters."))
            continue
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            return str(_("The request body is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH})
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return None


class TextSafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(
                _("The request body is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
            ) from error
        if problem := _problem(data):
            raise ParseError(problem)
        return data
