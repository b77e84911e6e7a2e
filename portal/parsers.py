"""The API's JSON parser: text with a NUL character is refused before it can reach the database.

PostgreSQL cannot store NUL in text and fails the whole query, so a lookup or a write with such a
value would become a server error deep in a view; here it is a 400 for the request as a whole.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class TextSafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _holds_nul(data):
            raise ParseError(_("Text in the request may not contain NUL characters."))
        return data
