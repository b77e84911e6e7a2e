"""Retrying background tasks: a task that failed for a passing reason queues itself again, later.

django-tasks has no retries of its own (https://github.com/RealOrangeOne/django-tasks), so a task
that talks to another service (the mail server, Elasticsearch) takes an ``attempt`` argument and
calls ``retry_later`` when that service did not answer. The worker then picks it up again after
the delay for that attempt. A backend that runs tasks inline (development, tests) cannot wait, so
there a failure is final at once and the caller handles it as the last attempt.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from django_tasks.base import Task


def retry_later(task: Task, *args, attempt: int, delays: Sequence[int], **kwargs) -> bool:
    """Queue ``task`` again with ``attempt + 1`` after ``delays[attempt - 1]`` seconds.

    Returns False, queueing nothing, when the attempts are used up or the backend cannot defer.
    """
    if attempt > len(delays) or not task.get_backend().supports_defer:
        return False
    later = task.using(run_after=timezone.now() + timedelta(seconds=delays[attempt - 1]))
    later.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True
