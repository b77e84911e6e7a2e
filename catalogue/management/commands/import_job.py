"""``manage.py import_job <id>`` runs an import job (again) here; ``--resume`` hands unfinished jobs to the worker."""

from django.core.management.base import BaseCommand, CommandError

from catalogue.importing.jobs import import_job_run, import_jobs_resume
from catalogue.models import ImportJob, ImportStatus


class Command(BaseCommand):
    help = (
        "Run a stored import job in this process, or run it again when its worker died half-way (imports are "
        "idempotent: what was written stays, the rest is written, and the indexes are brought in line). "
        "A finished job is only reported. --resume enqueues every job that did not finish, for the worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("job_id", nargs="?", type=int, help="The job's id (the admin shows it in the address).")
        parser.add_argument("--resume", action="store_true", help="Enqueue every unfinished job again.")

    def handle(self, *args, job_id: int | None, resume: bool, **options) -> None:
        if resume:
            ids = import_jobs_resume()
            self.stdout.write(f"Enqueued again: {', '.join(map(str, ids)) or 'none'}.")
            return
        if job_id is None:
            raise CommandError("Give a job id, or --resume.")
        if not ImportJob.objects.filter(pk=job_id).exists():
            raise CommandError(f"No import job {job_id}.")
        stuck = ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING)
        stuck.update(status=ImportStatus.QUEUED)  # its worker is gone if someone runs it by hand
        job = import_job_run(job_id)
        totals = (job.report or {}).get("totals", {})
        summary = ", ".join(f"{action} {count}" for action, count in totals.items()) or "; ".join(job.problems)
        self.stdout.write(f"Import job {job.pk} ({job.filename}): {job.status}, run {job.runs} time(s). {summary}")
