"""Content translation: network pages in English and French under /en/ and /fr/, next to an interface that
stays Dutch or English; offers and partner pages are never translated; only coordinators translate."""

import base64
import re
import zlib

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale, Page

import pytest
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from catalogue.models import OfferPage
from catalogue.selectors import public_offers, recent_offers
from organisations.models import OrganisationIndexPage, OrganisationPage
from portal.demo_pages import ensure_network_pages, ensure_vision_note_translations
from portal.models import HomePage, NewsIndexPage, VisionNotePage, VisionNoteVersion
from search.engines import get_engine
from search.indexer import index_offers, reindex_all
from search.query import OfferQuery
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note() -> VisionNotePage:
    return ensure_network_pages(HomePage.objects.get())["vision_note"].specific


@pytest.fixture
def translated(note) -> dict[str, VisionNotePage]:
    """The demo's English and French vision note, by language."""
    return {page.locale.language_code: page for page in ensure_vision_note_translations(note)}


def _locale(language: str) -> Locale:
    return Locale.objects.get(language_code=language)


def _tags(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def _content_region(html: str) -> str:
    """The opening tag of the region that holds the page's own content."""
    return re.search(r'<main id="main"[^>]*>\s*(<div class="wrap"[^>]*>)', html).group(1)


def _pdf_text(pdf: bytes) -> bytes:
    """The text drawing operators of a ReportLab PDF, whose streams are ASCII85 and Flate encoded."""
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    return b"".join(zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>"))) for stream in streams)


# --- Routing: Dutch pages where they were, translations under /en/ and /fr/ ---------------------------------


@pytest.mark.parametrize(
    ("path", "title"),
    [("/visienota/", "Visienota"), ("/en/visienota/", "Vision note"), ("/fr/visienota/", "Note de vision")],
)
def test_each_language_of_the_vision_note_has_its_own_address(client, translated, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_the_dutch_address_shows_the_dutch_page_whatever_the_interface_language(client, translated):
    """The content language comes from the URL: an English interface does not swap in the English note."""
    content = client.get("/visienota/", headers={"accept-language": "en"}).content.decode()
    assert _tags(content, r"<html[^>]*>") == ['<html lang="en">']
    assert "<h1>Visienota</h1>" in content


def test_a_prefixed_address_never_changes_the_interface_language(client, translated):
    content = client.get("/en/visienota/", headers={"accept-language": "nl-BE"}).content.decode()
    assert _tags(content, r"<html[^>]*>") == ['<html lang="nl-be">']
    assert "Versie 2026.1, goedgekeurd op" in content


def test_english_and_french_home_pages_render_as_aliases_of_the_dutch_one(client, translated):
    """Translating the note made the home page an alias in each language: it shows the Dutch home page."""
    for path in ("/en/", "/fr/"):
        content = client.get(path).content.decode()
        assert "Vrije tijd voor iedereen in Antwerpen" in content
        assert f'href="{path}visienota/"' in content


def test_a_page_without_translation_is_not_found_under_a_prefix(client, translated):
    """Error case: /en/expertise/ does not fall back to the Dutch page; it does not exist."""
    assert client.get("/expertise/").status_code == 200
    assert client.get("/en/expertise/").status_code == 404
    assert client.get("/en/partners/").status_code == 404


def test_the_vision_note_routes_work_in_every_language(client, translated):
    """PDF, version list and archived version of the English and French notes, each its own archive."""
    for language, title in (("en", "Vision note"), ("fr", "Note de vision")):
        assert client.get(f"/{language}/visienota/pdf/")["Content-Type"] == "application/pdf"
        versions = client.get(f"/{language}/visienota/versies/").content.decode()
        assert f'href="/{language}/visienota/versies/2026-1/"' in versions
        archived = client.get(f"/{language}/visienota/versies/2026-1/").content.decode()
        assert f"<h1>{title} " in archived
    assert client.get("/en/visienota/versies/2025-1/").status_code == 404  # translated at 2026.1
    assert VisionNoteVersion.objects.filter(page=translated["fr"], version="2026.1", title="Note de vision").exists()


def test_switching_the_interface_language_stays_on_the_same_page(client, translated):
    """Django's set_language does not move a visitor from /visienota/ to /en/visienota/."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/visienota/"})
    assert response["Location"] == "/visienota/"


# --- Page URLs ------------------------------------------------------------------------------------------------


def test_translated_pages_know_their_prefixed_url(translated, note):
    """page.url carries the language prefix for specific pages, plain Page objects and aliases alike."""
    assert note.url == "/visienota/"
    assert translated["en"].url == "/en/visienota/"
    assert Page.objects.get(pk=translated["fr"].pk).url == "/fr/visienota/"
    assert translated["fr"].get_parent().url == "/fr/"
    with translation.override("en"):
        assert note.url == "/visienota/"
        assert translated["fr"].get_full_url() == "http://localhost/fr/visienota/"


def test_routable_page_links_carry_the_prefix(client, translated):
    content = client.get("/fr/visienota/").content.decode()
    assert 'href="/fr/visienota/pdf/"' in content


# --- Language of the content (WCAG 3.1.1 and 3.1.2) -------------------------------------------------------------


def test_a_page_in_another_language_than_the_interface_marks_its_content_region(client, translated):
    content = client.get("/fr/visienota/").content.decode()
    assert _tags(content, r"<html[^>]*>") == ['<html lang="nl-be">']
    assert _content_region(content) == '<div class="wrap" lang="fr">'
    assert '<p class="meta" lang="nl-be">Versie 2026.1' in content  # interface text inside it is marked back
    assert '<h2 id="toc-heading" lang="nl-be">Inhoud</h2>' in content


def test_a_page_in_the_interface_language_needs_no_extra_lang(client, translated):
    content = client.get("/en/visienota/", headers={"accept-language": "en"}).content.decode()
    assert _content_region(content) == '<div class="wrap">'
    assert '<p class="meta">Version 2026.1' in content


def test_an_alias_has_the_language_of_the_page_it_mirrors(client, translated):
    content = client.get("/en/", headers={"accept-language": "en"}).content.decode()
    assert _content_region(content) == '<div class="wrap" lang="nl-be">'


def test_a_translated_page_lists_its_languages_and_alternates(client, translated):
    content = client.get("/fr/visienota/").content.decode()
    assert _tags(content, r'<link rel="alternate"[^>]*>') == [
        '<link rel="alternate" hreflang="nl-be" href="http://testserver/visienota/">',
        '<link rel="alternate" hreflang="en" href="http://testserver/en/visienota/">',
        '<link rel="alternate" hreflang="fr" href="http://testserver/fr/visienota/">',
    ]
    start = content.index('<nav class="page-languages"')
    languages = content[start : content.index("</nav>", start)]
    assert 'lang="nl-be">' in languages and "Deze pagina in:" in languages
    assert _tags(languages, r"<a [^>]*>[^<]*</a>") == [
        '<a href="/visienota/" hreflang="nl-be" lang="nl-be">Nederlands</a>',
        '<a href="/en/visienota/" hreflang="en" lang="en">English</a>',
        '<a href="/fr/visienota/" hreflang="fr" lang="fr" aria-current="page">Français</a>',
    ]


def test_only_live_translations_are_listed(client, translated):
    translated["fr"].unpublish()
    content = client.get("/visienota/").content.decode()
    assert 'hreflang="fr"' not in content
    assert 'hreflang="en"' in content


def test_pages_without_translations_show_no_language_list(client, translated):
    for path in ("/expertise/", "/en/", "/aanbod/"):
        content = client.get(path).content.decode()
        assert "page-languages" not in content and 'rel="alternate"' not in content, path


def test_the_site_search_finds_translations_in_their_language_but_no_aliases(client, translated):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for page in Page.objects.live().specific():
        backend.add(page)
    content = client.get(reverse("site_search"), {"q": "vision"}).content.decode()
    assert '<h3 class="result-title" lang="en"><a href="/en/visienota/">Vision note</a></h3>' in content
    assert '<h3 class="result-title" lang="fr"><a href="/fr/visienota/">Note de vision</a></h3>' in content
    content = client.get(reverse("site_search"), {"q": "Antwerpen"}).content.decode()
    assert '<a href="/">Vrije tijd voor iedereen in Antwerpen</a>' in content
    assert 'href="/en/"' not in content and 'href="/fr/"' not in content


# --- Interface language: Dutch or English only --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "interface"),
    [
        ("fr-BE,fr;q=0.9,en;q=0.5", "en"),
        ("fr-BE,fr;q=0.9", "nl-be"),
        ("fr", "nl-be"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-NL", "nl-be"),
    ],
)
def test_a_browser_asking_for_french_gets_its_next_interface_language_or_dutch(client, accept_language, interface):
    content = client.get("/aanbod/", headers={"accept-language": accept_language}).content.decode()
    assert _tags(content, r"<html[^>]*>") == [f'<html lang="{interface}">']


def test_choosing_french_in_a_crafted_form_keeps_the_dutch_interface(client):
    """Error case: language=fr posted to set_language is stored by Django, but never becomes the interface."""
    client.post(reverse("set_language"), {"language": "fr", "next": "/aanbod/"})
    content = client.get("/aanbod/").content.decode()
    assert _tags(content, r"<html[^>]*>") == ['<html lang="nl-be">']


def test_the_language_switch_offers_the_interface_languages_only(client):
    switch = client.get("/aanbod/", headers={"accept-language": "en"}).content.decode()
    buttons = _tags(switch, r'<button type="submit" name="language" value="([^"]+)"')
    assert buttons == ["nl-be"]
    content = client.get("/aanbod/").content.decode()
    assert _tags(content, r'<button type="submit" name="language" value="([^"]+)"') == ["en"]


# --- Offers and partner pages are never translated ----------------------------------------------------------


def test_an_offer_cannot_be_copied_into_another_language(translated, partner_a):
    """Error case: model validation refuses an offer, its organisation page or the directory in French."""
    offer = OfferFactory(organisation=partner_a)
    with pytest.raises(ValidationError):
        offer.copy_for_translation(_locale("fr"), copy_parents=True)
    with pytest.raises(ValidationError):
        OrganisationIndexPage.objects.get().copy_for_translation(_locale("fr"))
    assert not OfferPage.objects.exclude(locale=Locale.get_default()).exists()


def _french_copy(offer: OfferPage) -> OfferPage:
    """A French 'translation' of the offer made past model validation, as a careless script could."""
    copy = offer.copy(update_attrs={"title": "Natation pour débutants", "slug": f"{offer.slug}-fr"}, keep_live=True)
    OfferPage.objects.filter(pk=copy.pk).update(locale=_locale("fr"), translation_key=offer.translation_key)
    return OfferPage.objects.get(pk=copy.pk)


def test_an_offer_in_another_locale_never_reaches_the_catalogue_or_its_search(client, partner_a):
    offer = OfferFactory(organisation=partner_a, title="Zwemmen voor beginners")
    copy = _french_copy(offer)
    assert copy.live and copy.locale.language_code == "fr"
    reindex_all()
    index_offers([offer.pk, copy.pk])

    assert list(public_offers()) == [offer]
    assert recent_offers(limit=10) == [offer]
    assert get_engine().search(OfferQuery(text="natation")).total == 0
    assert [hit.id for hit in get_engine().search(OfferQuery(text="zwemmen")).hits] == [offer.pk]
    assert [item["id"] for item in client.get("/api/v1/offers/").json()["results"]] == [offer.pk]
    assert b"Natation" not in b"".join(client.get("/open-data/offers.csv").streaming_content)


def test_the_admin_offers_no_translation_of_offers_and_partner_pages(client, coordinator, partner_a, note):
    offer = OfferFactory(organisation=partner_a)
    client.force_login(coordinator)
    for page in (offer, partner_a.page, OrganisationIndexPage.objects.get()):
        submit_url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
        assert submit_url not in client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        listing = client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
        assert submit_url not in listing.content.decode()
        assert client.get(submit_url)["Location"] == reverse("wagtailadmin_home")  # Wagtail's "permission denied"
        client.post(submit_url, {"locales": [_locale("fr").pk]})
    assert not Page.objects.exclude(locale=Locale.get_default()).not_type(HomePage, VisionNotePage).exists()
    note_url = reverse("wagtail_localize:submit_page_translation", args=[note.pk])
    assert note_url in client.get(reverse("wagtailadmin_pages:edit", args=[note.pk])).content.decode()


# --- Who translates --------------------------------------------------------------------------------------------


def test_a_coordinator_submits_a_page_for_translation_and_edits_the_translation(client, coordinator, note):
    news = NewsIndexPage.objects.get()
    client.force_login(coordinator)
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[news.pk])
    assert client.get(submit_url).status_code == 200
    response = client.post(submit_url, {"locales": [_locale("fr").pk]})
    assert response.status_code == 302
    french = news.get_translation(_locale("fr"))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[french.pk])).status_code == 200


def test_translating_the_home_page_with_its_subtree_leaves_offers_and_partners_alone(
    client, coordinator, partner_a, note
):
    """wagtail-localize's "Include subtree" translates the network pages and skips the catalogue's pages."""
    OfferFactory(organisation=partner_a)
    client.force_login(coordinator)
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[HomePage.objects.get().pk])
    response = client.post(submit_url, {"locales": [_locale("fr").pk], "include_subtree": "on"})
    assert response.status_code == 302
    french = Page.objects.filter(locale=_locale("fr"))
    assert {page.specific_class for page in french} >= {HomePage, VisionNotePage, NewsIndexPage}
    assert not french.type(OfferPage, OrganisationIndexPage).exists()
    sources = {source.specific_content_type.model_class() for source in TranslationSource.objects.all()}
    assert sources.isdisjoint({OfferPage, OrganisationPage, OrganisationIndexPage})  # no record of the refused


@pytest.mark.parametrize(
    ("role", "sent_to"),
    [("editor_a", "wagtailadmin_home"), ("mediator", "wagtailadmin_login")],  # mediators have no admin at all
)
def test_partner_editors_and_mediators_cannot_translate(client, request, translated, role, sent_to):
    """Error case: neither may submit a page for translation nor edit a translation."""
    user = request.getfixturevalue(role)
    assert not user.has_perm("wagtail_localize.submit_translation")
    news = NewsIndexPage.objects.get()
    client.force_login(user)
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[news.pk])
    assert client.get(submit_url)["Location"].startswith(reverse(sent_to))
    client.post(submit_url, {"locales": [_locale("fr").pk]})
    assert not news.has_translation(_locale("fr"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[translated["en"].pk]))
    assert edit["Location"].startswith(reverse(sent_to))


def test_coordinators_hold_the_translation_permission(coordinator):
    assert coordinator.has_perm("wagtail_localize.submit_translation")


# --- The translated PDF and the demo --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "filename", "subject", "text"),
    [
        ("en", "visienota-en-2026-1.pdf", b"Version 2026.1, approved on March 15, 2026", b"Working together"),
        ("fr", "visienota-fr-2026-1.pdf", rb"Version 2026.1, approuv\351e le 15 mars 2026", b"Travailler ensemble"),
    ],
)
def test_the_translated_vision_note_has_its_own_pdf_in_its_language(
    client, translated, language, filename, subject, text
):
    """The PDF is a document in the note's language, whatever the interface language (Dutch here)."""
    response = client.get(f"/{language}/visienota/pdf/")
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert f"/Lang ({language})".encode() in response.content
    assert b"/Subject (" + subject + b")" in response.content
    assert text in _pdf_text(response.content)


def test_the_demo_translates_every_string_of_the_vision_note(translated):
    """Each string is a manual translation that differs from the Dutch, the slug excepted (same address)."""
    for language in ("en", "fr"):
        strings = StringTranslation.objects.filter(locale=_locale(language)).select_related("translation_of")
        assert strings.count() == 24
        assert all(string.translation_type == "manual" for string in strings)
        changed = [string for string in strings if string.data != string.translation_of.data]
        assert len(changed) == 23, [string.data for string in strings if string not in changed]
    assert translated["en"].live and translated["fr"].live and translated["fr"].version == "2026.1"


def test_the_demo_translations_load_twice_without_changes(note, translated):
    counts = (Page.objects.count(), Translation.objects.count(), StringTranslation.objects.count())
    revisions = translated["en"].revisions.count()
    again = ensure_vision_note_translations(note)
    assert [page.pk for page in again] == [translated["en"].pk, translated["fr"].pk]
    assert (Page.objects.count(), Translation.objects.count(), StringTranslation.objects.count()) == counts
    assert translated["en"].revisions.count() == revisions
