"""Views of the portal outside the page tree: the site search."""

import re
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.models import Site

from organisations.networks import network_for_request
from search.results import hits_addressed_for

from .site_search import search_offers, search_pages

MAX_QUERY_LENGTH = 200
# Wagtail's database search hands the text to the database's full-text syntax (FTS5 on SQLite reads `"`
# as a quote to close), so only words reach it; the catalogue engine keeps only words too (search.text).
_WORD = re.compile(r"\w+")


def site_search(request: HttpRequest) -> HttpResponse:
    """One results page for the site asked: its matching pages, and its network's best offers with a link to all."""
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    context: dict = {"query": text}
    if "\x00" in text:
        context.update(query="", error=_("Words: the text may not contain NUL characters."))
        return render(request, "portal/site_search.html", context, status=400)
    if text:
        network = network_for_request(request)
        pages, page_hits = search_pages(
            " ".join(_WORD.findall(text)),
            page_number=request.GET.get("pagina"),
            site=Site.find_for_request(request),
            request=request,
        )
        context.update(
            pages=pages,
            page_hits=page_hits,
            offers=hits_addressed_for(search_offers(text, network=network.slug if network else None), request),
            all_offers_url=f"{reverse('search:public')}?{urlencode({'q': text})}",
        )
    return render(request, "portal/site_search.html", context)
