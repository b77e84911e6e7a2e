"""Network pages: each type renders, the vision note keeps its versions and PDFs, expertise is reviewed,
the site search covers pages and offers, uploads are checked, and everything works without JavaScript."""

import io
import zipfile
from datetime import date

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, WorkflowState
from wagtail.search.backends import get_search_backend
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from portal.demo_pages import ensure_network_pages
from portal.models import ExpertiseIndexPage, ExpertisePage, HomePage, VisionNotePage
from portal.pdf import vision_note_pdf
from portal.uploads import check_document_content
from search.indexer import index_offers
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

# Enough of a Windows executable for any content sniffer to call it one.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512


@pytest.fixture
def home() -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def network(home) -> dict[str, Page]:
    """The demo's network pages, with their review workflow, as the demo loader creates them."""
    return ensure_network_pages(home)


@pytest.fixture
def note(network) -> VisionNotePage:
    return network["vision_note"].specific


def _pdf_bytes() -> bytes:
    return vision_note_pdf(
        title="Werkblad",
        intro="",
        version="1",
        approved_on=date(2026, 1, 1),
        sections=[{"heading": "Vragen", "body": "<p>Waar is de ingang?</p>"}],
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ['href="/visienota/"', 'href="/expertise/"', 'href="/contact/"', "Nieuwe visienota goedgekeurd"]),
        ("/visienota/", ["Visienota", "2026.1", "Mensen in armoede spreken mee", "/visienota/pdf/"]),
        ("/expertise/", ["thema-guidance", "thema-thresholds", "thema-cooperation", "Een drempelscan van je aanbod"]),
        (
            "/expertise/eerste-keer-meegaan/",
            ["Zo pak je het aan", "Bel vooraf naar het onthaal", "Amina gaat zwemmen", "Wat neem je mee?"],
        ),
        ("/expertise/drempelscan/", ["In vier stappen", "Drempelscan – werkblad", "(PDF"]),
        ("/nieuws/", ["Nieuwe visienota goedgekeurd", 'datetime="2026-03-20"']),
        ("/nieuws/nieuwe-visienota-goedgekeurd/", ["15 maart 2026 keurden de partners"]),
        (
            "/toegankelijkheid/",
            ["WCAG", "De PDF van de visienota is nog niet getagd", "Wat werkt niet of is moeilijk?"],
        ),
        ("/contact/", ["Je vraag", "Hoe kunnen we je bereiken?", "03 000 00 00"]),
    ],
)
def test_each_network_page_type_renders_its_key_content(client, network, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    for text in expected:
        assert text in content, text


def test_every_page_links_the_accessibility_statement_in_its_footer(client, network, partner_a):
    for path in ("/", "/expertise/", partner_a.page.url, reverse("search:public"), reverse("site_search")):
        content = client.get(path).content.decode()
        footer = content[content.index('<footer class="site-footer">') :]
        assert 'href="/toegankelijkheid/"' in footer, path


def test_network_pages_need_no_javascript(client, network):
    """Every public page is plain HTML: no script, and its forms are ordinary GET or POST forms."""
    paths = [
        "/",
        "/visienota/",
        "/visienota/versies/",
        "/visienota/versies/2025-1/",
        "/expertise/",
        "/expertise/eerste-keer-meegaan/",
        "/nieuws/",
        "/nieuws/nieuwe-visienota-goedgekeurd/",
        "/toegankelijkheid/",
        "/contact/",
        "/partners/",
        "/zoeken/?q=drempel",
    ]
    for path in paths:
        content = client.get(path).content.decode()
        assert "<script" not in content, path
        assert 'action="/zoeken/" method="get"' in content, path


def test_partner_directory_shows_kind_contact_and_offer_count(client, network, partner_a):
    OfferFactory(organisation=partner_a, title="Zwemmen op zondag")
    OfferFactory(organisation=partner_a, title="Nog een draft", publish=False)
    content = client.get("/partners/").content.decode()
    assert str(partner_a.get_kind_display()) in content
    assert f"mailto:{partner_a.email}" in content or not partner_a.email
    assert f'href="{partner_a.page.url}">1 ' in content


def test_vision_note_pdf_downloads_the_current_version(client, note):
    response = client.get("/visienota/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="visienota-2026-1.pdf"'
    assert response.content.startswith(b"%PDF")


def test_earlier_vision_note_versions_stay_readable(client, note):
    listing = client.get("/visienota/versies/").content.decode()
    assert "2026.1" in listing and "2025.1" in listing
    earlier = client.get("/visienota/versies/2025-1/").content.decode()
    assert '<p class="notice">' in earlier
    assert "Samenwerken" in earlier
    assert "Mensen in armoede spreken mee" not in earlier
    pdf = client.get("/visienota/versies/2025-1/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_republishing_a_version_number_never_rewrites_its_archived_text(client, note):
    """Edge case: a correction published under the same number leaves the archived copy as approved."""
    note.intro = "Een stille correctie."
    note.save_revision().publish()
    assert note.versions.count() == 2
    assert "Een stille correctie." not in client.get("/visienota/versies/2026-1/").content.decode()
    note.version, note.approved_on = "2027.1", date(2027, 3, 1)
    note.save_revision().publish()
    assert list(note.versions.values_list("version", flat=True)) == ["2027.1", "2026.1", "2025.1"]
    assert client.get("/visienota/versies/2026-1/").status_code == 200


def test_unknown_vision_note_version_answers_404(client, note):
    assert client.get("/visienota/versies/1999-1/").status_code == 404


def _expertise_form(title: str, slug: str, action: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "theme": "guidance",
            "summary": "Zo stel je een buddy voor aan een nieuwe deelnemer.",
            "body": streamfield(
                [("section", {"heading": "Waarom een buddy", "body": rich_text("<p>Samen gaat het beter.</p>")})]
            ),
            "comments": inline_formset([]),
            action: "1",
        }
    )


def test_partner_editor_draft_waits_for_a_coordinator_who_approves_it(client, network, editor_a, coordinator):
    """A partner editor submits an expertise page: it waits in 'Expertise review' until a coordinator approves."""
    index = ExpertiseIndexPage.objects.get()
    client.force_login(editor_a)
    add_url = reverse("wagtailadmin_pages:add", args=["portal", "expertisepage", index.pk])
    response = client.post(add_url, _expertise_form("Een buddy zoeken", "een-buddy-zoeken", "action-submit"))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ExpertisePage.objects.get(slug="een-buddy-zoeken")
    assert not page.live
    assert not page.permissions_for_user(editor_a).can_publish()
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Expertise review"
    assert client.get(page.url or "/expertise/een-buddy-zoeken/").status_code == 404

    client.logout()
    client.force_login(coordinator)
    task_state = state.current_task_state
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    assert client.post(approve_url, {"comment": "Helder, dank je."}).status_code in (200, 302)
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    assert "Samen gaat het beter." in client.get(page.url).content.decode()


def test_partner_editor_cannot_publish_an_expertise_page_directly(client, network, editor_a):
    """Error case: 'publish' from a partner editor does not make the page live."""
    index = ExpertiseIndexPage.objects.get()
    client.force_login(editor_a)
    add_url = reverse("wagtailadmin_pages:add", args=["portal", "expertisepage", index.pk])
    client.post(add_url, _expertise_form("Stiekem live", "stiekem-live", "action-publish"))
    page = ExpertisePage.objects.filter(slug="stiekem-live").first()
    assert page is None or not page.live


def test_site_search_finds_pages_and_offers_and_links_to_the_catalogue(client, network, partner_a):
    offer = OfferFactory(organisation=partner_a, title="Zwemmen voor beginners")
    index_offers([offer.pk])
    backend = get_search_backend()
    for page in Page.objects.live().specific():
        backend.add(page)
    content = client.get(reverse("site_search"), {"q": "zwemmen"}).content.decode()
    assert "Zwemmen voor beginners" in content
    assert "Eerste keer meegaan: zo begeleid je een eerste bezoek" in content
    assert 'href="/aanbod/?q=zwemmen"' in content
    pages_section = content[content.index('id="pages-heading"') :]
    assert "Zwemmen voor beginners" not in pages_section


def test_site_search_without_words_shows_only_the_form(client, network):
    content = client.get(reverse("site_search")).content.decode()
    assert 'id="q"' in content and 'id="pages-heading"' not in content


def test_contact_form_mails_the_coordinators_and_thanks_the_sender(client, network):
    response = client.post(
        "/contact/",
        {"je_vraag": "Is er zwemles op zaterdag?", "hoe_kunnen_we_je_bereiken": "0470 00 00 00", "wie_ben_je": ""},
    )
    assert response.status_code == 200
    assert "We antwoorden binnen vijf werkdagen." in response.content.decode()
    assert mail.outbox[-1].to == ["coordinatie@vrijetijdsnet.example"]
    assert "Is er zwemles op zaterdag?" in mail.outbox[-1].body


def test_accessibility_feedback_names_a_missing_field(client, network):
    """Error case: an empty report is refused with a summary that links to the field."""
    response = client.post("/toegankelijkheid/", {"wat_werkt_niet_of_is_moeilijk": ""})
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert 'href="#id_wat_werkt_niet_of_is_moeilijk"' in content
    assert len(mail.outbox) == 0


def _upload(client, coordinator, name: str, content: bytes):
    client.force_login(coordinator)
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def _field_error(content: str) -> str:
    """The text of the admin form's field error, whatever the admin's language."""
    start = content.index('<p class="error-message">')
    return content[start : content.index("</p>", start)]


def test_document_upload_accepts_a_real_pdf(client, coordinator):
    response = _upload(client, coordinator, "werkblad.pdf", _pdf_bytes())
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="werkblad.pdf").exists()


def test_document_upload_refuses_a_program_disguised_as_pdf(client, coordinator):
    """Error case: an executable renamed to .pdf is refused, saying what it really is."""
    response = _upload(client, coordinator, "handleiding.pdf", EXECUTABLE)
    content = response.content.decode()
    assert ".pdf" in _field_error(content) and "EXE" in _field_error(content)
    assert not get_document_model().objects.filter(title="handleiding.pdf").exists()


def test_document_upload_refuses_an_oversize_file(client, coordinator, settings):
    """Error case: a file over WAGTAILDOCS_MAX_UPLOAD_SIZE is refused, naming the limit (1 KB here)."""
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = _upload(client, coordinator, "groot.pdf", _pdf_bytes() + b"\n%" + b"x" * 2048)
    assert "1,0\xa0KB" in _field_error(response.content.decode())
    assert not get_document_model().objects.filter(title="groot.pdf").exists()


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip archive of ``members``, the same bytes at every call: its bytes are part of the test ids, which
    every pytest-xdist worker must collect alike."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lijst.csv", b"naam;prijs\nZwemmen;5\n"),
        ("uitleg.txt", "Klare taal, ook met é en ë.".encode()),
        ("brief.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})),
        ("blad.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
    ],
)
def test_content_check_accepts_files_that_are_what_they_say(name, content):
    check_document_content(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lijst.csv", EXECUTABLE),
        ("brief.docx", _zip({"iets.txt": b"geen document"})),
        ("blad.xlsx", b"%PDF-1.4 not a spreadsheet"),
    ],
)
def test_content_check_refuses_files_that_are_not(name, content):
    """Error case: the content contradicts the extension."""
    with pytest.raises(ValidationError):
        check_document_content(SimpleUploadedFile(name, content))


def test_network_pages_load_twice_without_duplicates(home, network):
    before = Page.objects.count()
    ensure_network_pages(home)
    assert Page.objects.count() == before


@pytest.mark.parametrize(
    "model",
    ["visionnotepage", "expertiseindexpage", "newsindexpage", "accessibilitystatementpage", "contactpage"],
)
def test_coordinator_opens_the_editor_of_each_page_type(client, home, coordinator, model):
    """The editing forms (panels, form builder, help texts) render for a coordinator under the home page."""
    client.force_login(coordinator)
    response = client.get(reverse("wagtailadmin_pages:add", args=["portal", model, home.pk]))
    assert response.status_code == 200


def test_content_checker_runs_the_rules_editors_can_break(client, network, coordinator):
    """The userbar's accessibility checker also checks alt text, lists, link styling and contrast."""
    client.force_login(coordinator)
    content = client.get("/expertise/").content.decode()
    for rule in ("heading-order", "image-alt", "link-in-text-block", "color-contrast"):
        assert f'"{rule}"' in content, rule
