"""Applying a whole feed for one organisation: create, update or leave each offer, unpublish what is gone.

Offers that exist are updated each in their own transaction (a savepoint when the caller already
holds one); new offers are created a batch at a time in one transaction (``importing.bulk``), which
leaves a refused item out. Either way a refused item writes nothing of itself and the items before
it stay written. The feed as a whole
is deliberately not one transaction: a long import would otherwise hold its locks until the end
and make a concurrent import of the same organisation wait for all of it. What the feed no longer
holds is unpublished, never deleted, and only among this organisation's offers from this source.

A preview is the same run with each batch's transaction rolled back (``dry_run=True``), so what
the preview promises is what applying does, model-level errors included. Items of one feed do not
depend on each other's writes (a doubled external id is refused before anything is written), so
rolling back batch by batch promises the same as one rollback at the end, and lets a background
preview report its progress between batches.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.permissions import can_edit_for

from ..models import OfferPage
from ..services import OfferInput, differs, offer_unpublish, offer_upsert
from .bulk import offers_create
from .changes import offer_changes, offer_facts
from .rows import ImportItem, ItemError, Message, html_to_text

BATCH_SIZE = 100  # new offers created together, in one transaction; the job's progress moves per batch
Progress = Callable[[int, int], None]  # (items done, items in the feed)


class ItemAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    UNPUBLISHED = "unpublished"
    SKIPPED = "skipped"
    REFUSED = "refused"


class FeedRefused(Exception):
    """The feed as a whole cannot be applied; nothing was written."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class ItemReport:
    """What happened to one row or document, or to an offer the feed no longer holds."""

    label: str
    external_id: str
    title: str
    action: ItemAction
    errors: list[ItemError] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    offer_id: int | None = None
    retried: bool = False
    # What the row changes (old → new) on an offer that exists, or a new offer's key facts (``importing.changes``).
    changes: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "external_id": self.external_id,
            "title": self.title,
            "action": str(self.action),
            "errors": [str(error) for error in self.errors],
            "warnings": [str(warning) for warning in self.warnings],
            "offer_id": self.offer_id,
            "retried": self.retried,
            "changes": self.changes,
        }


@dataclass
class SyncReport:
    organisation: Organisation
    source: str
    items: list[ItemReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(item.action for item in self.items)
        return {str(action): counts[action] for action in ItemAction}

    @property
    def changed(self) -> int:
        """How many offers this run creates, updates or takes offline."""
        totals = self.totals
        return totals["created"] + totals["updated"] + totals["unpublished"]

    def of(self, action: ItemAction) -> list[ItemReport]:
        return [item for item in self.items if item.action == action]

    def as_dict(self) -> dict:
        return {
            "organisation": self.organisation.slug,
            "source": self.source,
            "dry_run": self.dry_run,
            "totals": self.totals,
            "items": [item.as_dict() for item in self.items],
        }


def feed_sync(
    *,
    organisation: Organisation,
    source: str,
    items: Sequence[ImportItem],
    by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    complete: bool = True,
) -> SyncReport:
    """Apply a whole feed for one organisation and report per item; ``dry_run`` previews without writing.

    ``by`` is the person importing (None for a command or a scheduled task run by the operator);
    a person must be allowed to edit for the organisation. An empty feed is refused rather than
    read as "take every offer offline". ``complete=False`` says the feed holds only what changed
    (an incremental pull): then nothing is unpublished for being absent, and an empty feed changes nothing.
    """
    if by is not None and not can_edit_for(by, organisation):
        raise PermissionDenied
    if not items:
        if not complete:
            return SyncReport(organisation=organisation, source=source, dry_run=dry_run)
        raise FeedRefused(_("The feed holds no offers; nothing was changed."))
    report = _apply(
        organisation=organisation,
        source=source,
        items=items,
        by=by,
        progress=progress,
        dry_run=dry_run,
        complete=complete,
    )
    report.dry_run = dry_run
    return report


@contextmanager
def _step(dry_run: bool):
    """One batch's transaction; a preview rolls each back, so its progress can be read while it runs."""
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)


def _apply(
    *,
    organisation: Organisation,
    source: str,
    items: Sequence[ImportItem],
    by: AbstractBaseUser | None,
    progress: Progress | None = None,
    dry_run: bool = False,
    complete: bool = True,
) -> SyncReport:
    report = SyncReport(organisation=organisation, source=source)
    # Every id the feed names counts as present, refused ones included: a row with a typo must not
    # take its published offer offline.
    present = {item.external_id for item in items if item.external_id}
    reports: dict[int, ItemReport] = {}
    writable = []
    for index, item in enumerate(items):
        if item.withdrawn and not item.errors:
            with _step(dry_run):
                reports[index] = _withdraw(item, organisation=organisation, source=source, by=by)
        elif item.errors or item.data is None:
            reports[index] = _item_report(item, ItemAction.REFUSED)
        else:
            writable.append(index)
    if progress:
        progress(len(reports), len(items))
    for start in range(0, len(writable), BATCH_SIZE):
        batch = writable[start : start + BATCH_SIZE]
        with _step(dry_run):
            written = _write_batch([items[index] for index in batch], organisation=organisation, source=source, by=by)
        reports.update(zip(batch, written, strict=True))
        if progress:
            progress(len(reports), len(items))
    report.items = [reports[index] for index in range(len(items))]
    if not complete:
        return report
    with _step(dry_run):
        report.items.extend(_unpublish_missing(organisation=organisation, source=source, present=present, by=by))
    return report


def _write_batch(
    items: list[ImportItem], *, organisation: Organisation, source: str, by: AbstractBaseUser | None
) -> list[ItemReport]:
    """One batch: offers that exist are compared in memory and updated one by one when they differ; new
    offers are created together (``importing.bulk``), each refused on its own if it is invalid."""
    existing = {
        offer.external_id: offer
        for offer in OfferPage.objects.filter(
            organisation=organisation, external_id__in=[item.external_id for item in items]
        ).prefetch_related("themes", "languages", "time_slots", "extra_costs", "sessions", "closed_days")
    }
    reports: dict[int, ItemReport] = {}
    new = []
    for index, item in enumerate(items):
        offer = existing.get(item.external_id)
        if offer is None:
            new.append(index)
            continue
        _keep_markup(offer, item)
        # The same offer arriving another way (an export of an offer entered in the admin) is no change by itself.
        if offer.live and not offer.has_unpublished_changes and not differs(offer, _input(item, source=offer.source)):
            reports[index] = _item_report(item, ItemAction.UNCHANGED, offer)
        else:
            changes = offer_changes(offer, _input(item, source=source))
            reports[index] = _write(item, organisation=organisation, source=source, by=by)
            if reports[index].action == ItemAction.UPDATED:
                reports[index].changes = changes
    if new:
        try:
            outcomes = offers_create(
                parent=organisation.page, inputs=[_input(items[index], source=source) for index in new], by=by
            )
        except IntegrityError:  # a concurrent writer got in between all the same: one by one, as any other write
            outcomes = [None] * len(new)
        for index, outcome in zip(new, outcomes, strict=True):
            item = items[index]
            if isinstance(outcome, OfferPage):
                reports[index] = _item_report(item, ItemAction.CREATED, outcome)
                reports[index].changes = offer_facts(_input(item, source=source))
            elif outcome is None or _exists(item, organisation=organisation):
                # Another writer created it between our look and our insert: this is the retry, as an update.
                reports[index] = _write(item, organisation=organisation, source=source, by=by)
                reports[index].retried = True
            else:
                reports[index] = _refuse(item, outcome)
    return [reports[index] for index in range(len(items))]


def _keep_markup(offer: OfferPage, item: ImportItem) -> None:
    """Rich text the item gives as the text the offer's markup already reads as stays the offer's markup."""
    for name in item.plain_text & item.data.values.keys():
        if html_to_text(getattr(offer, name)) == html_to_text(item.data.values[name]):
            item.data.values[name] = getattr(offer, name)


def _item_report(item: ImportItem, action: ItemAction, offer: OfferPage | None = None, retried: bool = False):
    return ItemReport(
        label=item.label,
        external_id=item.external_id,
        title=item.title or (offer.title if offer else ""),
        action=action,
        errors=list(item.errors),
        warnings=list(item.warnings),
        offer_id=offer.pk if offer else None,
        retried=retried,
    )


def _input(item: ImportItem, *, source: str) -> OfferInput:
    data = item.data
    return OfferInput(
        values={**data.values, "source": source, "external_id": item.external_id},
        themes=data.themes,
        languages=data.languages,
        time_slots=data.time_slots,
        extra_costs=data.extra_costs,
        sessions=data.sessions,
        closed_days=data.closed_days,
    )


def _upsert(item: ImportItem, *, organisation: Organisation, source: str, by: AbstractBaseUser | None):
    with transaction.atomic():
        return offer_upsert(organisation=organisation, data=_input(item, source=source), by=by)


def _exists(item: ImportItem, *, organisation: Organisation) -> bool:
    return OfferPage.objects.filter(organisation=organisation, external_id=item.external_id).exists()


def _refuse(item: ImportItem, error: ValidationError) -> ItemReport:
    for field_name, messages in getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages}).items():
        for message in messages:
            item.field_error("external_id" if field_name == NON_FIELD_ERRORS else field_name, message)
    return _item_report(item, ItemAction.REFUSED)


def _write(item: ImportItem, *, organisation: Organisation, source: str, by: AbstractBaseUser | None) -> ItemReport:
    """Upsert one item; when a concurrent import created the same offer first, retry once as an update.

    Two imports of the same feed can both find no offer and both go to create it. The page tree
    locks the organisation's page, so the second waits for the first to commit and then fails: on
    validation (the slug or the external id the first just took) or in the database (the external
    id constraint). The offer exists by then, so the retry finds it and updates it or leaves it
    unchanged. An item that is simply invalid is not retried; one whose update is invalid fails the
    retry with the same errors and is refused with them.
    """
    try:
        offer, action = _upsert(item, organisation=organisation, source=source, by=by)
        return _item_report(item, ItemAction(action.value), offer)
    except IntegrityError:
        pass
    except ValidationError as error:
        if not _exists(item, organisation=organisation):
            return _refuse(item, error)
    try:
        offer, action = _upsert(item, organisation=organisation, source=source, by=by)
    except ValidationError as error:
        return _refuse(item, error)
    except IntegrityError:
        item.field_error("external_id", _("Another import wrote this offer at the same moment; run the import again."))
        return _item_report(item, ItemAction.REFUSED, retried=True)
    return _item_report(item, ItemAction(action.value), offer, retried=True)


def _withdraw(item: ImportItem, *, organisation: Organisation, source: str, by: AbstractBaseUser | None):
    """A document that says its offer no longer takes place: take ours offline, if we have it."""
    offer = OfferPage.objects.filter(organisation=organisation, source=source, external_id=item.external_id).first()
    with transaction.atomic():
        unpublished = offer is not None and offer_unpublish(offer=offer, by=by)
    return _item_report(item, ItemAction.UNPUBLISHED if unpublished else ItemAction.SKIPPED, offer)


def _unpublish_missing(
    *, organisation: Organisation, source: str, present: set[str], by: AbstractBaseUser | None
) -> list[ItemReport]:
    live = (
        OfferPage.objects.live()
        .filter(organisation=organisation, source=source)
        .exclude(external_id="")
        .order_by("external_id")
        .values_list("pk", "external_id")
    )
    reports = []
    for pk, external_id in list(live):
        if external_id in present:
            continue
        offer = OfferPage.objects.get(pk=pk)
        with transaction.atomic():
            offer_unpublish(offer=offer, by=by)
        reports.append(
            ItemReport(label="", external_id=external_id, title=offer.title, action=ItemAction.UNPUBLISHED, offer_id=pk)
        )
    return reports
