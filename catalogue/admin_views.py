"""Admin views for the spreadsheet import: the template, the upload, a preview of what will change, applying it.

The uploaded file waits in the uploader's session between preview and apply (sessions live in the
database, so any web worker can pick it up) and is tied to that user. Applying reads and checks
the file again against the catalogue as it is at that moment, and asks the organisation rule
again, so a membership revoked in between stops it.
"""

import base64
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from organisations.models import Organisation
from organisations.permissions import can_edit_for, organisations_editable_by

from .importing.spreadsheet import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_MB,
    sheet_import,
    template_csv,
    template_xlsx,
)
from .importing.sync import ItemAction, SyncReport
from .models import MAX_PER_OFFER

SESSION_KEY = "catalogue_import_upload"
MAX_UPLOAD_MB = 5
TEMPLATES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", template_xlsx),
    "csv": ("text/csv; charset=utf-8", template_csv),
}
PREVIEW_HEADINGS = {
    ItemAction.CREATED: _("Will be created"),
    ItemAction.UPDATED: _("Will be changed"),
    ItemAction.UNCHANGED: _("Stay as they are"),
    ItemAction.UNPUBLISHED: _("Will be taken offline: no longer in the file"),
    ItemAction.SKIPPED: _("Skipped"),
    ItemAction.REFUSED: _("Refused: fix these rows and upload again"),
}
RESULT_HEADINGS = {
    ItemAction.CREATED: _("Created"),
    ItemAction.UPDATED: _("Changed"),
    ItemAction.UNCHANGED: _("Unchanged"),
    ItemAction.UNPUBLISHED: _("Taken offline: no longer in the file"),
    ItemAction.SKIPPED: _("Skipped"),
    ItemAction.REFUSED: _("Refused"),
}


class ImportUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("For organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("Spreadsheet"), help_text=_("The filled-in template, as .xlsx or .csv."))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_editable_by(user).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload the template as an .xlsx or .csv file."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(_("The file is larger than %(size)s MB; split it.") % {"size": MAX_UPLOAD_MB})
        return upload


class CanImportMixin:
    """Only people who edit for at least one organisation import; Wagtail has already asked for admin access.

    A refusal is a real 403 with the reason, not Wagtail's redirect to the dashboard: an attempt to
    import for someone else's organisation must be visible as refused.
    """

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            if not organisations_editable_by(request.user).exists():
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return render(request, "catalogue/import_forbidden.html", status=403)


@dataclass(frozen=True)
class StoredUpload:
    organisation_id: int
    filename: str
    content: bytes


def _store(request: HttpRequest, *, organisation: Organisation, upload) -> None:
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "organisation": organisation.pk,
        "filename": upload.name,
        "content": base64.b64encode(upload.read()).decode("ascii"),
    }


def _stored(request: HttpRequest) -> StoredUpload | None:
    data = request.session.get(SESSION_KEY)
    if not data or data.get("user") != request.user.pk:
        return None
    return StoredUpload(data["organisation"], data["filename"], base64.b64decode(data["content"]))


def _allowed_organisation(request: HttpRequest, pk: int | str | None) -> Organisation | None:
    """The organisation asked for; one that exists but is not the user's is refused outright (403)."""
    organisation = Organisation.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if organisation is not None and not can_edit_for(request.user, organisation):
        raise PermissionDenied
    return organisation


def _groups(report: SyncReport, headings: dict) -> list[tuple[str, str, list]]:
    return [(str(action), headings[action], report.of(action)) for action in ItemAction if report.of(action)]


class ImportStartView(CanImportMixin, View):
    template_name = "catalogue/import_start.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ImportUploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        _allowed_organisation(request, request.POST.get("organisation"))
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._render(request, form)
        _store(request, organisation=form.cleaned_data["organisation"], upload=form.cleaned_data["file"])
        return redirect("catalogue_import_preview")

    def _render(self, request: HttpRequest, form: ImportUploadForm) -> HttpResponse:
        limits = {
            "max_upload_mb": MAX_UPLOAD_MB,
            "max_rows": MAX_ROWS,
            "max_columns": MAX_COLUMNS,
            "max_unpacked_mb": MAX_UNPACKED_MB,
            **{f"max_{name}": limit for name, limit in MAX_PER_OFFER.items()},
        }
        return render(request, self.template_name, {"form": form, **limits})


class ImportTemplateView(CanImportMixin, View):
    def get(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if file_format not in TEMPLATES:
            raise Http404
        content_type, build = TEMPLATES[file_format]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="aanbod-sjabloon.{file_format}"'
        return response


class _StoredUploadView(CanImportMixin, View):
    def _upload_and_organisation(self, request: HttpRequest) -> tuple[StoredUpload, Organisation] | None:
        upload = _stored(request)
        organisation = _allowed_organisation(request, upload.organisation_id) if upload else None
        if upload is None or organisation is None:
            messages.error(request, _("Upload a spreadsheet first."))
            return None
        return upload, organisation


class ImportPreviewView(_StoredUploadView):
    """What applying the upload would do, row by row; computed by the import itself, then rolled back."""

    def get(self, request: HttpRequest) -> HttpResponse:
        found = self._upload_and_organisation(request)
        if found is None:
            return redirect("catalogue_import")
        upload, organisation = found
        feed, report = sheet_import(
            organisation=organisation, content=upload.content, filename=upload.filename, by=request.user, dry_run=True
        )
        return render(
            request,
            "catalogue/import_preview.html",
            {
                "organisation": organisation,
                "filename": upload.filename,
                "feed": feed,
                "report": report,
                "groups": _groups(report, PREVIEW_HEADINGS) if report else [],
            },
        )


class ImportApplyView(_StoredUploadView):
    def post(self, request: HttpRequest) -> HttpResponse:
        found = self._upload_and_organisation(request)
        if found is None:
            return redirect("catalogue_import")
        upload, organisation = found
        feed, report = sheet_import(
            organisation=organisation, content=upload.content, filename=upload.filename, by=request.user
        )
        request.session.pop(SESSION_KEY, None)
        return render(
            request,
            "catalogue/import_result.html",
            {
                "organisation": organisation,
                "filename": upload.filename,
                "feed": feed,
                "report": report,
                "groups": _groups(report, RESULT_HEADINGS) if report else [],
            },
        )
