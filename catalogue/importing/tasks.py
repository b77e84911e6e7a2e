"""Background work for imports: a UiTdatabank feed applied by the task worker rather than in a request."""

from django_tasks import task

from organisations.models import Organisation

from .bulk import wagtail_indexes_update
from .uitdatabank import uitdatabank_import


@task()
def import_uitdatabank(organisation_id: int, documents: list[list]) -> dict:
    """Apply UiTdatabank documents (``[label, document]`` pairs) as one feed; returns the report as JSON.

    The task runs as the operator (no person), like the management command: whoever enqueues it
    has already been allowed to import for this organisation.
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    feed, report = uitdatabank_import(
        organisation=organisation, documents=[(label, document) for label, document in documents]
    )
    return {"problems": [str(problem) for problem in feed.problems], "report": report.as_dict() if report else None}


@task()
def update_wagtail_indexes(offer_ids: list[int]) -> None:
    """Wagtail's search and reference index for a batch of offers created in bulk (see ``importing.bulk``)."""
    wagtail_indexes_update(offer_ids)
