"""Open data views: the published catalogue as JSON-LD and CSV, and its RPDE change feed; public, read-only."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import feeds

# RPDE asks for a long cache on full pages and a short one on the last page, which followers poll.
FULL_PAGE_CACHE = "public, max-age=3600"
LAST_PAGE_CACHE = "public, max-age=8"
LIST_CACHE = "public, max-age=300"


def _bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse(errors, status=400)


def _public(path: str) -> str:
    """A link on the configured public host, as every link in the open data is, whoever asked."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@require_GET
def offers_rpde(request: HttpRequest) -> JsonResponse:
    """One page of the change feed after the position the follower gives."""
    try:
        position = feeds.parse_rpde_position(request.GET)
    except feeds.FeedParameterError as error:
        return _bad_request(error.errors)
    items = feeds.rpde_items(after=position, limit=feeds.RPDE_PAGE_SIZE)
    next_position = feeds.rpde_next_position(items, position)
    query = (
        f"?{urlencode({'afterTimestamp': next_position.modified, 'afterId': next_position.offer_id})}"
        if next_position
        else ""
    )
    response = JsonResponse(
        {
            "items": [feeds.rpde_item(item) for item in items],
            "next": _public(reverse("open_data_offers_rpde") + query),
            "license": settings.OPEN_DATA_LICENSE,
        }
    )
    response["Cache-Control"] = FULL_PAGE_CACHE if len(items) == feeds.RPDE_PAGE_SIZE else LAST_PAGE_CACHE
    return response


@require_GET
def offers_jsonld(request: HttpRequest) -> JsonResponse:
    """One page of the published offers as a schema.org DataFeed."""
    try:
        number = feeds.parse_page_number(request.GET)
        page = feeds.jsonld_page(number=number, page_size=feeds.JSONLD_PAGE_SIZE)
    except feeds.FeedParameterError as error:
        return _bad_request(error.errors)
    except EmptyPage:
        return JsonResponse({"page": [_("There is no page with this number.")]}, status=404)

    def url_for_page(n: int) -> str:
        return _public(reverse("open_data_offers_jsonld") + f"?{urlencode({'page': n})}")

    response = JsonResponse(feeds.jsonld_document(page, url_for_page=url_for_page), content_type="application/ld+json")
    links = [f'<{url_for_page(number + 1)}>; rel="next"'] if page.has_next else []
    if page.has_previous:
        links.append(f'<{url_for_page(number - 1)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    response["Cache-Control"] = LIST_CACHE
    return response


@require_GET
def offers_csv(request: HttpRequest) -> HttpResponse:
    """Every published offer, one row each: semicolon-separated UTF-8 with a byte order mark."""
    if request.GET:
        return _bad_request({name: [_("Unknown parameter.")] for name in sorted(request.GET)})
    response = StreamingHttpResponse(feeds.csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aanbod.csv"'
    response["Cache-Control"] = LIST_CACHE
    return response
