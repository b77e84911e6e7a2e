"""Open data views: the published catalogue as JSON-LD and CSV, and its RPDE change feed; public, read-only.

Each answers for the network of the host asked (or ``?network=<slug>``), or for the whole installation
(``?network=all``, or a host no network owns); links to further pages keep the parameter.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organisations.models import Network
from organisations.networks import network_for_request

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


def _network(request: HttpRequest) -> Network | None:
    """The network a feed is asked for (raises FeedParameterError): the parameter's, else the site's."""
    return feeds.parse_network(request.GET, default=network_for_request(request))


def _network_parameter(request: HttpRequest) -> dict[str, str]:
    """The ``network`` parameter as asked, for the links to further pages."""
    return {"network": request.GET["network"]} if request.GET.get("network") else {}


@require_GET
def offers_rpde(request: HttpRequest) -> JsonResponse:
    """One page of the change feed after the position the follower gives."""
    try:
        position = feeds.parse_rpde_position(request.GET)
        network = _network(request)
    except feeds.FeedParameterError as error:
        return _bad_request(error.errors)
    items = feeds.rpde_items(after=position, limit=feeds.RPDE_PAGE_SIZE, network=network)
    next_position = feeds.rpde_next_position(items, position)
    parameters = _network_parameter(request)
    if next_position:
        parameters |= {"afterTimestamp": next_position.modified, "afterId": next_position.offer_id}
    query = f"?{urlencode(parameters)}" if parameters else ""
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
        network = _network(request)
        page = feeds.jsonld_page(number=number, page_size=feeds.JSONLD_PAGE_SIZE, network=network)
    except feeds.FeedParameterError as error:
        return _bad_request(error.errors)
    except EmptyPage:
        return JsonResponse({"page": [_("There is no page with this number.")]}, status=404)

    def url_for_page(n: int) -> str:
        return _public(reverse("open_data_offers_jsonld") + f"?{urlencode(_network_parameter(request) | {'page': n})}")

    response = JsonResponse(
        feeds.jsonld_document(page, url_for_page=url_for_page, network=network), content_type="application/ld+json"
    )
    links = [f'<{url_for_page(number + 1)}>; rel="next"'] if page.has_next else []
    if page.has_previous:
        links.append(f'<{url_for_page(number - 1)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    response["Cache-Control"] = LIST_CACHE
    return response


@require_GET
def offers_csv(request: HttpRequest) -> HttpResponse:
    """Every published offer (of the network asked), one row each: semicolon-separated UTF-8 with a byte order
    mark."""
    unknown = sorted(set(request.GET) - {"network"})
    if unknown:
        return _bad_request({name: [_("Unknown parameter.")] for name in unknown})
    try:
        network = _network(request)
    except feeds.FeedParameterError as error:
        return _bad_request(error.errors)
    response = StreamingHttpResponse(feeds.csv_lines(network=network), content_type="text/csv; charset=utf-8")
    name = f"aanbod-{network.slug}.csv" if network is not None else "aanbod.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = LIST_CACHE
    return response
