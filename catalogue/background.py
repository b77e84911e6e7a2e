"""Background tasks that wait: retries of a task that failed for a passing reason, and periodic jobs.

django-tasks has no retries of its own (https://github.com/RealOrangeOne/django-tasks), so a task
that talks to another service (the mail server, Elasticsearch) takes an ``attempt`` argument and
calls ``retry_later`` when that service did not answer. The worker then picks it up again after
the delay for that attempt. A backend that runs tasks inline (development, tests) cannot wait, so
there a failure is final at once and the caller handles it as the last attempt.

A periodic job (the search's reconciliation, the nightly UiTdatabank pull) queues its own next run with
``schedule_once``, which keeps one run waiting, never two.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from django_tasks.base import Task, TaskResultStatus


def retry_later(task: Task, *args, attempt: int, delays: Sequence[int], **kwargs) -> bool:
    """Queue ``task`` again with ``attempt + 1`` after ``delays[attempt - 1]`` seconds.

    Returns False, queueing nothing, when the attempts are used up or the backend cannot defer.
    """
    if attempt > len(delays) or not task.get_backend().supports_defer:
        return False
    later = task.using(run_after=timezone.now() + timedelta(seconds=delays[attempt - 1]))
    later.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


def schedule_once(task: Task, *, run_after: datetime) -> bool:
    """Queue ``task`` to run at ``run_after`` unless a run of it is already waiting.

    Returns False, queueing nothing, when one waits or the backend cannot defer (tasks run inline in
    development and tests, where the job's management command runs it by hand).
    """
    backend = task.get_backend()
    if not backend.supports_defer:
        return False
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY, backend_name=backend.alias
        )
        if waiting.exists():
            return False
    task.using(run_after=run_after).enqueue()
    return True
