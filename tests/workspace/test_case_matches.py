"""A case's matches: paged, narrowed by words, domain, theme and day through GET parameters, and honest about
an offer that misses one of the client's firm limits (it is a partial fit, never called a fit)."""

from datetime import time
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

import pytest

from catalogue.models import Domain, Theme
from portal.workspace.matching import hard_query, match_case
from portal.workspace.models import ClientCase
from portal.workspace.services import case_update
from portal.workspace.views import MATCHES_PER_PAGE
from search.query import BudgetPer

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
NL = {"accept-language": "nl-be"}
WEDNESDAY, SATURDAY = 2, 5


def _page(client, case, headers=EN, **params):
    response = client.get(reverse("workspace:case_detail", args=[case.pk]), params, headers=headers)
    return response, response.content.decode()


def _matches_section(body: str) -> str:
    return body.split('<details class="case-section" id="matches"')[1].split('<details class="case-section"')[0]


@pytest.fixture
def free_on_wednesday_afternoon(case_a, mediator_a):
    return case_update(by=mediator_a, case=case_a, values={"weekdays": [WEDNESDAY], "parts_of_day": ["afternoon"]})


def test_an_offer_outside_the_clients_only_free_afternoon_is_a_partial_fit(free_on_wednesday_afternoon, make_offer):
    """The Saturday class misses the client's only free afternoon: it is partial, says so, and comes last."""
    make_offer("Zaterdagochtend", km=0, slots=((SATURDAY, time(10), time(12)),))
    make_offer("Woensdagmiddag", km=2, slots=((WEDNESDAY, time(14), time(16)),))
    with translation.override("en"):
        matches = match_case(free_on_wednesday_afternoon)
    assert [(match.hit.title, match.partial) for match in matches] == [
        ("Woensdagmiddag", False),
        ("Zaterdagochtend", True),
    ]
    assert matches[1].gaps == ["not when the client is free (wednesday; afternoon (12:00–17:00))"]


def test_the_case_page_labels_a_partial_fit_in_plain_dutch(
    client, mediator_a, free_on_wednesday_afternoon, make_offer, login
):
    """In Dutch a partial fit reads "Past maar gedeeltelijk" and what it misses; a full one "Past bij de cliënt"."""
    make_offer("Zaterdagochtend", slots=((SATURDAY, time(10), time(12)),))
    make_offer("Woensdagmiddag", slots=((WEDNESDAY, time(14), time(16)),))
    login(client, mediator_a)
    response, body = _page(client, free_on_wednesday_afternoon, headers=NL)
    section = _matches_section(body)
    partial = section.split("Zaterdagochtend")[1]
    full = section.split("Woensdagmiddag")[1].split("Zaterdagochtend")[0]
    assert response.status_code == 200
    assert "Past maar gedeeltelijk" in partial and "niet wanneer de cliënt vrij is (woensdag; namiddag" in partial
    assert "Past bij de cliënt" in full and "gedeeltelijk" not in full
    assert '<p role="status" id="matches-count">2 activiteiten; 1 ervan past maar gedeeltelijk.</p>' in section


def test_an_offer_beyond_the_travel_range_is_a_partial_fit(case_a, make_offer):
    """An offer 8 km away for a client who travels 3 km is partial, naming the range."""
    make_offer("Ver", km=8)
    with translation.override("en"):
        (match,) = match_case(case_a)
    assert match.gaps == ["further than the client can travel (3.0 km)"]


def test_matches_are_paged_and_page_links_keep_the_narrowing(client, mediator_a, case_a, make_offer, login):
    """With more matches than fit one page, the second page shows the rest, and its links keep the words asked."""
    for number in range(MATCHES_PER_PAGE + 2):
        make_offer(f"Waterpolo {number:02d}", km=number / 10)
    make_offer("Toneel", plain_summary="Samen toneel spelen.")
    login(client, mediator_a)
    response, body = _page(client, case_a, q="waterpolo")
    section = _matches_section(body)
    assert response.status_code == 200
    assert f"{MATCHES_PER_PAGE + 2} offers (of {MATCHES_PER_PAGE + 3} for this client)" in section
    assert section.count('class="match"') == MATCHES_PER_PAGE and "Toneel" not in section
    assert '<a href="?q=waterpolo&amp;page=2#matches-heading" rel="next">' in section
    response, body = _page(client, case_a, q="waterpolo", page=2)
    section = _matches_section(body)
    assert section.count('class="match"') == 2 and "Waterpolo 11" in section
    assert 'href="?q=waterpolo&amp;page=1#matches-heading" rel="prev"' in section
    assert '<ol class="match-list" start="11">' in section


def test_matches_narrow_by_domain_theme_and_day(client, mediator_a, case_a, make_offer, login):
    """Each narrowing keeps only the offers it names; Monday (day 0) narrows too."""
    theatre = Theme.objects.create(name="Toneel", slug="toneel", domain=Domain.CULTURE)
    make_offer("Voetbal", domain=Domain.SPORT, slots=((0, time(18), time(19)),))
    make_offer("Toneelles", domain=Domain.CULTURE, themes=[theatre], slots=((WEDNESDAY, time(14), time(16)),))
    login(client, mediator_a)
    for params, expected in (
        ({"domain": "sport"}, "Voetbal"),
        ({"theme": "toneel"}, "Toneelles"),
        ({"day": "0"}, "Voetbal"),
        ({"day": str(WEDNESDAY), "q": "toneel"}, "Toneelles"),
    ):
        response, body = _page(client, case_a, **params)
        section = _matches_section(body)
        assert response.status_code == 200, params
        assert section.count('class="match"') == 1 and expected in section, params
        assert "1 offer (of 2 for this client)" in section, params


def test_the_narrowing_form_is_labelled_and_shows_what_was_asked(client, mediator_a, case_a, make_offer, login):
    """The form has a label for every field, a submit button, and keeps the values asked."""
    make_offer("Voetbal", domain=Domain.SPORT)
    login(client, mediator_a)
    _response, body = _page(client, case_a, q="voet", domain="sport")
    section = _matches_section(body)
    for name in ("q", "domain", "theme", "day"):
        assert f'<label for="matches-{name}">' in section, name
    assert 'method="get"' in section and '<button type="submit">Narrow</button>' in section
    assert 'value="voet"' in section and '<option value="sport" selected>' in section
    assert "Show every offer" in section


def test_a_narrowing_that_finds_nothing_says_so(client, mediator_a, case_a, make_offer, login):
    """Narrowing to a word no offer has shows 0 and a way back to every offer."""
    make_offer("Voetbal")
    login(client, mediator_a)
    response, body = _page(client, case_a, q="xyzzy")
    section = _matches_section(body)
    assert response.status_code == 200 and "0 offers (of 1 for this client)" in section
    assert "No offer for this client matches this narrowing." in section


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"day": "8"}, "Day</a>: Select a valid choice."),
        ({"day": "maandag"}, "Day</a>: Select a valid choice."),
        ({"domain": "cooking"}, "Domain</a>: Select a valid choice."),
        ({"theme": "bestaat-niet"}, "Theme</a>: Select a valid choice."),
        ({"page": "twee"}, "Page: Enter a whole number."),
        ({"page": "0"}, "Page: Ensure this value is greater than or equal to 1."),
        ({"page": "9"}, "Page: There is only 1 page of offers."),
        ({"q": "x" * 101}, "Words</a>: Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_bad_narrowing_is_refused_naming_the_field(client, mediator_a, case_a, make_offer, login, params, message):
    """Error case: a bad value answers 400 with a message naming the field, never a server error."""
    make_offer("Voetbal")
    login(client, mediator_a)
    response, body = _page(client, case_a, **params)
    assert response.status_code == 400
    assert message in _matches_section(body)
    assert 'class="match"' not in _matches_section(body)


def test_adding_a_match_to_the_shortlist_returns_to_the_same_page_and_match(
    client, mediator_a, case_a, make_offer, login
):
    """The shortlist button sends the page with its narrowing, and the save returns there, at the match."""
    offer = make_offer("Voetbal")
    login(client, mediator_a)
    _response, body = _page(client, case_a, q="voet")
    expected_next = f"{reverse('workspace:case_detail', args=[case_a.pk])}?q=voet#match-{offer.pk}"
    assert f'name="next" value="{expected_next}"' in body
    response = client.post(reverse("workspace:shortlist_add", args=[case_a.pk, offer.pk]), {"next": expected_next})
    assert response.status_code == 302 and response["Location"] == expected_next


def test_the_case_page_folds_its_sections_with_the_offers_open(client, mediator_a, case_a, make_offer, login):
    """Every long section is a details element with its heading as summary; the offers come first and open, the
    page's contents link to the others, and an empty shortlist and the others are closed."""
    make_offer("Voetbal")
    login(client, mediator_a)
    _response, body = _page(client, case_a)
    contents = body.split('<nav class="case-toc"')[1].split("</nav>")[0]
    for section, link in (
        ("shortlist", "#shortlist-heading"),
        ("referrals", "#referrals-heading"),
        ("trajectory", "#trajectory-heading"),
        ("unmet", "#unmet-form"),
    ):
        assert f'href="{link}"' in contents, section
    for section in ("matches", "shortlist", "referrals", "trajectory", "unmet"):
        opening = body.split(f'<details class="case-section" id="{section}"')[1][:200]
        assert f'<summary><h2 id="{section}-heading">' in opening, section
    assert body.index('id="matches"') < body.index('id="shortlist"') < body.index('id="referrals"')
    assert '<details class="case-section" id="matches" open>' in body
    assert '<details class="case-section" id="shortlist">' in body
    assert '<details class="case-section" id="referrals">' in body
    assert '<details class="case-section" id="trajectory">' in body


def test_the_narrowing_form_is_folded_until_used(client, mediator_a, case_a, make_offer, login):
    """The narrowing form is a closed details element on the plain page, and open once a narrowing is asked."""
    make_offer("Voetbal")
    login(client, mediator_a)
    _response, body = _page(client, case_a)
    assert '<details class="narrow">' in _matches_section(body)
    _response, body = _page(client, case_a, domain="sport")
    assert '<details class="narrow" open>' in _matches_section(body)
    _response, body = _page(client, case_a, day="8")
    assert '<details class="narrow" open>' in _matches_section(body)


def test_the_case_says_what_its_budget_is_per():
    """A budget per season is searched as one: the engine compares it with prices per season only."""
    case = ClientCase(budget=Decimal("60"), budget_per=BudgetPer.SEASON)
    query = hard_query(case)
    assert (query.max_cost, query.budget_per) == (Decimal("60"), BudgetPer.SEASON)
