"""``manage.py import_uitdatabank --organisation <slug> <file-or-dir ...>``: apply UiTdatabank JSON-LD as one feed."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.importing.jobs import import_job_start
from catalogue.importing.uitdatabank import load_paths, uitdatabank_import
from catalogue.models import Source
from organisations.models import Organisation

LANGUAGES = ("nl", "en")


class Command(BaseCommand):
    help = (
        "Import UiTdatabank events and places (JSON-LD) for one organisation. Each file holds one document, "
        "a JSON array of documents or a search API page with 'member'; directories are searched for *.json. "
        "All documents together are the organisation's feed: offers it no longer holds are unpublished. "
        "Exits with status 1 when a document is refused (the others are applied)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", required=True, help="The slug of the organisation the offers belong to.")
        parser.add_argument("paths", nargs="+", type=Path, help="JSON files or directories.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change without writing.")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            help="The language of the whole report: nl or en (default: the active language, else the site's).",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Store the documents as an import job for the background worker; prints the job's id "
            "(follow it with manage.py import_job <id>).",
        )

    def handle(self, *args, language: str | None = None, **options) -> None:
        active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        chosen = language or (active if active in LANGUAGES else settings.LANGUAGE_CODE.split("-")[0])
        with translation.override(chosen):
            self._handle(**options)

    def _handle(self, *, organisation: str, paths: list[Path], dry_run: bool, background: bool, **options) -> None:
        owner = Organisation.objects.filter(slug=organisation).first()
        if owner is None:
            raise CommandError(_("No organisation with the slug '%(slug)s'.") % {"slug": organisation})
        documents, problems = load_paths(paths)
        if problems:
            raise CommandError("\n".join([*map(str, problems), _("Nothing was imported.")]))
        if background:
            if dry_run:
                raise CommandError(_("--dry-run runs here and now; leave out --background."))
            with transaction.atomic():
                job = import_job_start(
                    organisation=owner,
                    source=Source.UITDATABANK,
                    filename=", ".join(str(path) for path in paths)[:255],
                    content=json.dumps([[label, document] for label, document in documents]).encode(),
                    dry_run=False,
                )
            job.refresh_from_db()
            self.stdout.write(_("Import job %(id)s: %(status)s.") % {"id": job.pk, "status": job.get_status_display()})
            if job.finished and job.report:
                self._write({"problems": job.problems, "report": job.report})
            return
        feed, report = uitdatabank_import(organisation=owner, documents=documents, dry_run=dry_run)
        self._write({"problems": [str(problem) for problem in feed.problems], "report": report and report.as_dict()})

    def _write(self, outcome: dict) -> None:
        if outcome["problems"]:
            raise CommandError("\n".join([*outcome["problems"], _("Nothing was imported.")]))
        report = outcome["report"]
        actions = {
            "created": _("created"),
            "updated": _("updated"),
            "unchanged": _("unchanged"),
            "unpublished": _("unpublished"),
            "skipped": _("skipped"),
            "refused": _("refused"),
        }
        for item in report["items"]:
            line = f"{item['label'] or _('(not in the feed)')}: {actions[item['action']]}"
            if item["title"]:
                line += f" – {item['title']}"
            if item["external_id"]:
                line += f" [{item['external_id']}]"
            self.stdout.write(self.style.ERROR(line) if item["action"] == "refused" else line)
            for message in item["errors"]:
                self.stdout.write(f"    {message}")
            for message in item["warnings"]:
                self.stdout.write(f"    {_('note')}: {message}")
        totals = ", ".join(f"{actions[action]} {count}" for action, count in report["totals"].items())
        suffix = _(" (dry run: nothing was written)") if report["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{report['organisation']}: {totals}{suffix}"))
        refused = report["totals"]["refused"]
        if refused:
            raise CommandError(
                _("%(count)s document(s) refused; the others were applied.") % {"count": refused}, returncode=1
            )
