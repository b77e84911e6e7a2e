"""The spreadsheet import in the admin: template, upload for one's own organisation, preview, apply."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from wagtail.models import Page

import openpyxl
import pytest

from catalogue.importing.rows import COLUMN_NAMES
from catalogue.models import ImportJob, OfferPage, Theme
from catalogue.wagtail_hooks import register_import_menu_item
from organisations.models import Membership
from organisations.roles import Role
from organisations.services import membership_grant, membership_revoke
from tests.catalogue.test_import_spreadsheet import row, xlsx

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """The background worker: runs the jobs a request enqueued (the test settings' tasks run when enqueued)."""

    def run(request):
        with django_capture_on_commit_callbacks(execute=True):
            return request()

    return run


@pytest.fixture
def as_editor_a(client, editor_a):
    client.force_login(editor_a)
    return client


def upload(client, organisation, content: bytes, name: str = "aanbod.xlsx"):
    return client.post(
        reverse("catalogue_import"),
        {"organisation": organisation.pk, "file": SimpleUploadedFile(name, content)},
        **ENGLISH,
    )


@pytest.mark.parametrize(("person", "shown"), [("editor_a", True), ("coordinator", True), ("mediator", False)])
def test_the_import_menu_item_is_for_people_who_edit_offers(request, person, shown):
    """Partner editors and coordinators see "Import"; a mediator, who edits no offers, does not."""
    http_request = RequestFactory().get("/admin/")
    http_request.user = request.getfixturevalue(person)
    assert register_import_menu_item().is_shown(http_request) is shown


def test_an_editor_downloads_both_templates(as_editor_a):
    """The XLSX and the CSV template download with their column names."""
    xlsx_response = as_editor_a.get(reverse("catalogue_import_template", args=["xlsx"]))
    assert xlsx_response.status_code == 200
    assert "attachment" in xlsx_response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))["Aanbod"]
    assert [cell.value for cell in sheet[1]] == list(COLUMN_NAMES)
    csv_response = as_editor_a.get(reverse("catalogue_import_template", args=["csv"]))
    assert csv_response.content.startswith(b"\xef\xbb\xbfextern_id;titel;")


def test_the_upload_form_offers_only_my_organisations(as_editor_a, partner_a, partner_b):
    """The organisation choice lists the editor's own organisation and not the other partner's."""
    response = as_editor_a.get(reverse("catalogue_import"), **ENGLISH)
    assert response.status_code == 200
    assert list(response.context["form"].fields["organisation"].queryset) == [partner_a]


def job_page(client, job: ImportJob):
    return client.get(reverse("catalogue_import_job", args=[job.pk]), **ENGLISH)


def apply(client, job: ImportJob):
    return client.post(reverse("catalogue_import_apply", args=[job.pk]), **ENGLISH)


def test_upload_preview_then_apply(as_editor_a, partner_a, worker):
    """The upload is stored as a job the worker previews, writing nothing; applying is a second job that creates."""
    response = worker(lambda: upload(as_editor_a, partner_a, xlsx(row())))
    preview_job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("catalogue_import_job", args=[preview_job.pk])
    assert (preview_job.dry_run, preview_job.status, preview_job.done, preview_job.total) == (True, "done", 1, 1)

    preview = job_page(as_editor_a, preview_job)
    assert preview.status_code == 200
    assert preview.context["report"]["totals"]["created"] == 1
    assert "Will be created (1)" in preview.content.decode()
    assert "Zwemmen voor beginners" in preview.content.decode()
    assert not OfferPage.objects.exists()

    response = worker(lambda: apply(as_editor_a, preview_job))
    apply_job = ImportJob.objects.exclude(pk=preview_job.pk).get()
    assert response.status_code == 302 and response.url == reverse("catalogue_import_job", args=[apply_job.pk])
    result = job_page(as_editor_a, apply_job)
    assert "Created (1)" in result.content.decode()
    offer = OfferPage.objects.get()
    assert (offer.organisation, offer.live, offer.external_id) == (partner_a, True, "ZWEM-01")
    assert offer.latest_revision.user.username == "editor-a"


def test_the_upload_answers_at_once_and_the_job_page_shows_progress(as_editor_a, partner_a):
    """The upload request only stores the file; until the worker is done the page shows a labelled progress bar
    in a status region and reloads itself (without JavaScript)."""
    upload(as_editor_a, partner_a, xlsx(row()))
    job = ImportJob.objects.get()
    assert job.status == "queued" and bytes(job.content).startswith(b"PK")
    content = job_page(as_editor_a, job).content.decode()
    assert 'role="status"' in content and 'aria-live="polite"' in content
    assert '<label for="import-progress-bar">' in content and 'id="import-progress-bar"' in content
    assert "Waiting for the background worker to start." in content
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in content
    ImportJob.objects.filter(pk=job.pk).update(status="running", done=100, total=400)
    assert "Checking the rows: 100 of 400 done." in job_page(as_editor_a, job).content.decode()


def test_a_job_is_shown_only_to_the_person_who_started_it(as_editor_a, partner_a, client, coordinator, worker):
    """Error case: another person (even a coordinator) does not see someone else's upload and report."""
    worker(lambda: upload(as_editor_a, partner_a, xlsx(row())))
    client.force_login(coordinator)
    assert job_page(client, ImportJob.objects.get()).status_code == 404


def test_the_preview_shows_each_row_error_with_row_and_column(as_editor_a, partner_a, worker):
    """Error case: a refused row is listed with its error naming row and column, and nothing is written."""
    worker(lambda: upload(as_editor_a, partner_a, xlsx(row(prijs="5,00", verlaagde_prijs="7,00"))))
    preview = job_page(as_editor_a, ImportJob.objects.get())
    assert "Row 3, column verlaagde_prijs: The reduced price cannot be above the regular price." in (
        preview.content.decode()
    )
    assert not preview.context["changes"]
    assert not OfferPage.objects.exists()


def test_an_unusable_file_is_explained_in_the_preview(as_editor_a, partner_a, worker):
    """Error case: a CSV without the template's columns gets one clear message and no apply button."""
    worker(lambda: upload(as_editor_a, partner_a, b"naam;prijs\r\nZwemmen;5\r\n", name="aanbod.csv"))
    job = ImportJob.objects.get()
    content = job_page(as_editor_a, job).content.decode()
    assert "The file lacks the columns extern_id, titel" in content
    assert reverse("catalogue_import_apply", args=[job.pk]) not in content


def test_an_editor_cannot_import_for_another_organisation(as_editor_a, partner_b):
    """Error case: editor A posting partner B's organisation gets a 403; nothing is stored or written."""
    pages = Page.objects.count()
    response = upload(as_editor_a, partner_b, xlsx(row()))
    assert response.status_code == 403
    assert "You can only import offers for an organisation you edit for." in response.content.decode()
    assert not ImportJob.objects.exists()
    assert Page.objects.count() == pages


def test_a_revoked_membership_stops_the_apply(as_editor_a, editor_a, partner_a, partner_b, worker):
    """Error case: losing the membership between preview and apply gives a 403 and writes nothing."""
    membership_grant(user=editor_a, organisation=partner_b, role=Role.PARTNER_EDITOR)  # still an admin user after
    worker(lambda: upload(as_editor_a, partner_a, xlsx(row())))
    job = ImportJob.objects.get()
    assert job_page(as_editor_a, job).status_code == 200
    membership_revoke(membership=Membership.objects.get(user=editor_a, organisation=partner_a))
    response = worker(lambda: apply(as_editor_a, job))
    assert response.status_code == 403
    assert not OfferPage.objects.exists()


def test_apply_checks_the_file_again(as_editor_a, partner_a, worker):
    """The upload is validated again on apply: a theme removed after the preview refuses the row then."""
    worker(lambda: upload(as_editor_a, partner_a, xlsx(row(themas="Zwemmen"))))
    preview_job = ImportJob.objects.get()
    assert job_page(as_editor_a, preview_job).context["report"]["totals"]["created"] == 1
    Theme.objects.filter(name="Zwemmen").delete()
    worker(lambda: apply(as_editor_a, preview_job))
    result = job_page(as_editor_a, ImportJob.objects.exclude(pk=preview_job.pk).get())
    assert result.context["report"]["totals"]["refused"] == 1
    assert "Row 3, column themas: Unknown theme: Zwemmen." in result.content.decode()
    assert not OfferPage.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_the_form(as_editor_a, partner_a):
    """Error case: a PDF is refused on the upload form, naming the file field."""
    response = upload(as_editor_a, partner_a, b"%PDF-1.4", name="aanbod.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Upload the template as an .xlsx or .csv file."]
    assert not ImportJob.objects.exists()


def test_a_mediator_cannot_reach_the_import(client, mediator):
    """Error case: a mediator has no admin access, so Wagtail sends them to the login page."""
    client.force_login(mediator)
    response = client.get(reverse("catalogue_import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_a_coordinator_imports_for_any_organisation(client, coordinator, partner_a, partner_b, worker):
    """A network coordinator may choose every organisation and import for it."""
    client.force_login(coordinator)
    choices = client.get(reverse("catalogue_import")).context["form"].fields["organisation"].queryset
    assert {partner_a, partner_b} <= set(choices)
    worker(lambda: upload(client, partner_b, xlsx(row())))
    worker(lambda: apply(client, ImportJob.objects.get()))
    assert OfferPage.objects.get().organisation == partner_b


def test_an_editor_of_one_organisation_is_not_asked_which(as_editor_a, partner_a, worker):
    """An editor who imports for one organisation sees it named instead of a choice, and may upload without it."""
    content = as_editor_a.get(reverse("catalogue_import"), **ENGLISH).content.decode()
    assert "<select" not in content
    assert f"For organisation: <strong>{partner_a.name}</strong>" in content
    assert f'<input type="hidden" name="organisation" value="{partner_a.pk}"' in content
    response = worker(
        lambda: as_editor_a.post(
            reverse("catalogue_import"), {"file": SimpleUploadedFile("aanbod.xlsx", xlsx(row()))}, **ENGLISH
        )
    )
    assert response.status_code == 302 and ImportJob.objects.get().organisation == partner_a


def test_a_coordinator_is_asked_which_organisation(client, coordinator, partner_a, partner_b):
    """With several organisations to import for, the form asks, with a labelled choice."""
    client.force_login(coordinator)
    content = client.get(reverse("catalogue_import"), **ENGLISH).content.decode()
    assert '<select name="organisation"' in content and "For organisation" in content
    assert "the only organisation you import for" not in content


def test_the_preview_shows_a_new_offers_key_facts_and_that_applying_publishes(as_editor_a, partner_a, worker):
    """The preview of a new offer gives its dates, times, price and place, and says applying puts it live at once."""
    worker(lambda: upload(as_editor_a, partner_a, xlsx(row())))
    content = job_page(as_editor_a, ImportJob.objects.get()).content.decode()
    assert "<strong>Dates</strong>: 01/09/2026 – 30/06/2027" in content
    assert "<strong>Weekly time slots</strong>: Wednesday 14:00–16:00; Saturday 10:00–12:00" in content
    assert "<strong>Price</strong>: €\xa012.50 per month" in content
    assert "<strong>Place</strong>: Sint-Bernardsesteenweg 1, 2020, Antwerpen" in content
    assert "Applying publishes at once, without a review: the 1 new and 0 changed offers go live" in content
    apply_form = content.split('id="import-goes-live"')[1]
    assert 'aria-describedby="import-goes-live">Apply and publish these changes</button>' in apply_form


def test_the_preview_of_an_update_shows_each_change_old_and_new(as_editor_a, partner_a, worker):
    """For an offer that exists, the preview lists only what the row changes, from the old value to the new."""
    worker(lambda: upload(as_editor_a, partner_a, xlsx(row())))
    worker(lambda: apply(as_editor_a, ImportJob.objects.get()))
    ImportJob.objects.all().delete()
    changed = row(prijs="15,00", startdatum="15/09/2026", momenten="wo 14:00-16:00; zo 10:00-12:00")
    worker(lambda: upload(as_editor_a, partner_a, xlsx(changed)))
    content = job_page(as_editor_a, ImportJob.objects.get()).content.decode()
    section = content.split('id="import-updated"')[1].split("</section>")[0]
    becomes = '<span aria-hidden="true">→</span><span class="visually-hidden">becomes</span>'
    assert f"<strong>Regular price (EUR)</strong>: €\xa012.50 {becomes} €\xa015.00" in section
    assert f"<strong>Start date</strong>: 01/09/2026 {becomes} 15/09/2026" in section
    assert (
        f"<strong>Weekly time slots</strong>: Wednesday 14:00–16:00; Saturday 10:00–12:00 {becomes} "
        "Wednesday 14:00–16:00; Sunday 10:00–12:00"
    ) in section
    assert section.count("<li><strong>") == 3, "only the three changed fields are listed"
    assert "Title" not in section.split("</thead>")[1]
