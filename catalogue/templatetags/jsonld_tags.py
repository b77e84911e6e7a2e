"""The offer's schema.org JSON-LD as a script element for its page's head."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from catalogue.jsonld import offer_jsonld

register = template.Library()

# Characters that could end the script element or open markup inside it, escaped as JSON allows.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def offer_jsonld_script(offer) -> str:
    """Nothing for an offer that was never saved (a first preview): it has no address on the site yet."""
    if offer.pk is None:
        return ""
    data = json.dumps(offer_jsonld(offer), cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')  # noqa: S308 - escaped above
