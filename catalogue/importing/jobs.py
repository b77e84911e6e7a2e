"""Imports as background jobs: the upload is stored with its job, the worker runs it and writes progress and report.

A job is a preview (``dry_run``) or an apply of one file for one organisation. The request that
uploads only stores the file and enqueues the job; the admin page reads the job's progress and,
when it is done, its report. Running a job again is always safe: applying the same file twice
changes nothing, and every run ends by bringing the search indexes and the open-data feed in line
with every offer the file names (changed or not), so a worker killed between a batch's commit and
its index update leaves nothing unsearchable once the job is run again.
"""

import json

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.permissions import can_edit_for

from ..models import ImportJob, ImportStatus, OfferPage, Source
from ..signals import offers_published
from .rows import ParsedFeed
from .spreadsheet import read_sheet
from .sync import ItemAction, feed_sync
from .uitdatabank import read_documents


def import_job_start(
    *,
    organisation: Organisation,
    source: str,
    filename: str,
    content: bytes,
    by: AbstractBaseUser | None = None,
    dry_run: bool = True,
) -> ImportJob:
    """Store the file as a job and hand it to the worker after commit; a person must edit for the organisation."""
    if by is not None and not can_edit_for(by, organisation):
        raise PermissionDenied
    job = ImportJob.objects.create(
        organisation=organisation, created_by=by, source=source, filename=filename, content=content, dry_run=dry_run
    )
    job_enqueue(job)
    return job


def job_enqueue(job: ImportJob) -> None:
    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def _read(job: ImportJob) -> ParsedFeed:
    content = bytes(job.content)
    if job.source == Source.UITDATABANK:
        return read_documents(json.loads(content.decode("utf-8")), organisation=job.organisation)
    return read_sheet(content, job.filename)


def import_job_run(job_id: int) -> ImportJob:
    """Run (or run again) one job; a finished job is left as it is."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if job.finished:
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), runs=F("runs") + 1, done=0
    )
    try:
        _run(job)
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=str(error) or type(error).__name__, finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    return job


def _run(job: ImportJob) -> None:
    by = job.created_by
    if by is not None and not can_edit_for(by, job.organisation):
        _finish(job, problems=[_("You can only import offers for an organisation you edit for.")])
        return
    feed = _read(job)
    ImportJob.objects.filter(pk=job.pk).update(total=len(feed.items), notes=[str(note) for note in feed.notes])
    if feed.problems:
        _finish(job, problems=[str(problem) for problem in feed.problems])
        return

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    report = feed_sync(
        organisation=job.organisation,
        source=job.source,
        items=feed.items,
        by=by,
        dry_run=job.dry_run,
        progress=progress,
    )
    if not job.dry_run:
        named = [item.offer_id for item in report.items if item.offer_id and item.action != ItemAction.REFUSED]
        with transaction.atomic():
            offers_published.send(sender=OfferPage, ids=named)
    _finish(job, report=report.as_dict())


def _finish(job: ImportJob, *, problems: list[str] | None = None, report: dict | None = None) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, problems=problems or [], report=report, finished_at=timezone.now()
    )


def import_jobs_resume() -> list[int]:
    """Enqueue again every job that did not finish (its worker died); returns their ids."""
    unfinished = list(
        ImportJob.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for job in ImportJob.objects.filter(pk__in=unfinished):
            job_enqueue(job)
    return unfinished
