"""Admin views for the spreadsheet import: the template, the upload, a preview of what will change, applying it.

The upload is stored with an import job (``catalogue.importing.jobs``) and the background worker
previews it; the job's page shows the progress (it reloads itself, so it works without JavaScript)
and then the report. Applying makes a second job from the same stored file, which the worker reads
and checks again against the catalogue as it is at that moment, asking the organisation rule again,
so a membership revoked in between stops it. A job is shown only to the person who started it.
"""

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

from .importing.jobs import import_job_start
from .importing.spreadsheet import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_MB,
    template_csv,
    template_xlsx,
)
from .importing.sync import ItemAction
from .models import MAX_PER_OFFER, ImportJob, Source

REFRESH_SECONDS = 2
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
    """The upload; a person who imports for one organisation only is not asked which (``only_organisation``)."""

    organisation = forms.ModelChoiceField(label=_("For organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("Spreadsheet"), help_text=_("The filled-in template, as .xlsx or .csv."))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = organisations_editable_by(user).order_by("name")
        field = self.fields["organisation"]
        field.queryset = organisations
        choices = list(organisations[:2])
        self.only_organisation: Organisation | None = choices[0] if len(choices) == 1 else None
        if self.only_organisation is not None:
            field.required = False
            field.widget = forms.HiddenInput()
            field.initial = self.only_organisation.pk

    def clean_organisation(self) -> Organisation:
        return self.cleaned_data["organisation"] or self.only_organisation

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


def _allowed_organisation(request: HttpRequest, pk: int | str | None) -> Organisation | None:
    """The organisation asked for; one that exists but is not the user's is refused outright (403)."""
    organisation = Organisation.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if organisation is not None and not can_edit_for(request.user, organisation):
        raise PermissionDenied
    return organisation


@dataclass(frozen=True)
class ReportItem:
    label: str
    external_id: str
    title: str
    errors: list
    warnings: list
    changes: list


def _groups(report: dict, headings: dict) -> list[tuple[str, str, list]]:
    """The job's stored report, grouped by what happens to each item, for ``import_report.html``."""
    groups = []
    for action in ItemAction:
        items = [
            ReportItem(
                item["label"],
                item["external_id"],
                item["title"],
                item["errors"],
                item["warnings"],
                item.get("changes", []),  # reports stored before changes were recorded have none
            )
            for item in report["items"]
            if item["action"] == action
        ]
        if items:
            groups.append((str(action), headings[action], items))
    return groups


class ImportStartView(CanImportMixin, View):
    template_name = "catalogue/import_start.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ImportUploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        _allowed_organisation(request, request.POST.get("organisation"))
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        job = import_job_start(
            organisation=form.cleaned_data["organisation"],
            source=Source.SPREADSHEET,
            filename=upload.name,
            content=upload.read(),
            by=request.user,
        )
        return redirect("catalogue_import_job", job_id=job.pk)

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


class _JobView(CanImportMixin, View):
    def _job(self, request: HttpRequest, job_id: int) -> ImportJob:
        job = ImportJob.objects.select_related("organisation").filter(pk=job_id, created_by=request.user).first()
        if job is None:
            raise Http404
        _allowed_organisation(request, job.organisation_id)
        return job


class ImportJobView(_JobView):
    """A job's progress while the worker runs it, then its report: what a preview would change, or what changed."""

    def get(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        report = job.report
        headings = PREVIEW_HEADINGS if job.dry_run else RESULT_HEADINGS
        changes = report and sum(report["totals"][action] for action in ("created", "updated", "unpublished"))
        return render(
            request,
            "catalogue/import_job.html",
            {
                "job": job,
                "organisation": job.organisation,
                "filename": job.filename,
                "feed": {"problems": job.problems, "notes": job.notes},
                "report": report,
                "changes": changes,
                "groups": _groups(report, headings) if report else [],
                "refresh_seconds": None if job.finished else REFRESH_SECONDS,
            },
        )


class ImportApplyView(_JobView):
    """Apply a finished preview: a new job for the same stored file."""

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        preview = self._job(request, job_id)
        if not preview.dry_run or not preview.finished:
            messages.error(request, _("Only a finished preview can be applied."))
            return redirect("catalogue_import_job", job_id=preview.pk)
        job = import_job_start(
            organisation=preview.organisation,
            source=preview.source,
            filename=preview.filename,
            content=bytes(preview.content),
            by=request.user,
            dry_run=False,
        )
        return redirect("catalogue_import_job", job_id=job.pk)
