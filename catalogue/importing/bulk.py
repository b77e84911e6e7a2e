"""Creating many new offers at once: Wagtail pages with one published revision each, in a few statements.

``offer_create`` makes a page the way the admin does (``add_child``, ``save_revision``, ``publish``):
three saves of the page, each enqueuing Wagtail's search-index and reference-index updates, two log
entries and a feed record, about 144 statements per offer. An import of thousands of new offers
instead goes through here, batch by batch, and ends in the same rows:

- every offer is validated exactly as ``offer_create`` validates it (``full_clean`` with the model's
  own ``clean``, the external-id constraint included); a refused offer writes nothing and does not
  stop the others;
- the parent page is locked for the batch and the tree paths of all new children are handed out
  from its last child, as treebeard's ``add_child`` would, one after the other;
- pages, offer rows, time slots, extra costs, themes and languages are inserted in bulk;
- each offer gets one revision holding its content (with the children's ids, as after ``add_child``),
  published: live, ``live_revision`` and ``latest_revision`` set, the "created" and "published" log
  entries Wagtail's history shows;
- what Wagtail's and our own save signals would do per save is done once for the batch after commit:
  ``offers_published`` (the search indexes and the open-data feed) and one background task for
  Wagtail's own search index and reference index.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page, PageLogEntry, Revision

from ..models import OfferClosedDay, OfferExtraCost, OfferPage, OfferSession, OfferTimeSlot
from ..services import OfferInput, apply_input
from ..signals import offers_published

Outcome = OfferPage | ValidationError


def _slugs(parent: Page):
    """Hand out free sibling slugs from the titles, as ``unique_child_slug`` does, without asking per offer."""
    taken = set(parent.get_children().values_list("slug", flat=True))

    def take(title: str) -> str:
        base = slugify(title)[:240] or "aanbod"
        candidate, suffix = base, 1
        while candidate in taken:
            suffix += 1
            candidate = f"{base}-{suffix}"
        taken.add(candidate)
        return candidate

    return take


# Set from the parent page, the same for the whole batch, never from the input: checked once, not per offer.
FROM_PARENT = ["path", "depth", "neighbourhood", "locale", "content_type", "organisation", "translation_key"]


def _validated(parent: Page, data: OfferInput, slug_for) -> Outcome:
    offer = OfferPage()
    apply_input(offer, data)
    offer.organisation = parent.specific.organisation
    offer.locale_id = parent.locale_id
    offer.slug = offer.slug or slug_for(offer.title)
    try:
        # Excluding ``organisation`` also skips the external-id constraint; ``_refuse_taken_ids`` asks it per batch.
        offer.full_clean(exclude=FROM_PARENT)
    except ValidationError as error:
        return error
    if offer.latitude is None or offer.longitude is None:
        offer.neighbourhood = None  # ``clean`` places an offer with a point; one without has none
    return offer


def _refuse_taken_ids(parent: Page, outcomes: list[Outcome]) -> None:
    """The unique external-id constraint for the batch in one query: taken already, or twice in the batch."""
    (constraint,) = (c for c in OfferPage._meta.constraints if c.name == "unique_offer_external_id_per_organisation")
    wanted = [outcome.external_id for outcome in outcomes if isinstance(outcome, OfferPage) and outcome.external_id]
    taken = set(
        OfferPage.objects.filter(organisation=parent.specific.organisation, external_id__in=wanted).values_list(
            "external_id", flat=True
        )
    )
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, OfferPage) and outcome.external_id:
            if outcome.external_id in taken:
                outcomes[index] = ValidationError(constraint.get_violation_error_message())
            taken.add(outcome.external_id)


def _place_in_tree(parent: Page, offers: list[OfferPage], now) -> None:
    last = parent.get_last_child()
    step = OfferPage._str2int(last.path[-OfferPage.steplen :]) if last else 0
    for offer in offers:
        step += 1
        offer.path = OfferPage._get_path(parent.path, parent.depth + 1, step)
        offer.depth = parent.depth + 1
        offer.numchild = 0
        offer.set_url_path(parent)
        offer.draft_title = offer.title
        offer.live = True
        offer.has_unpublished_changes = False
        offer.first_published_at = offer.last_published_at = offer.latest_revision_created_at = now


def _insert_pages(offers: list[OfferPage]) -> None:
    """The two rows of each page (Wagtail's and ours); Django's ``bulk_create`` refuses multi-table models."""
    page_fields = [field for field in Page._meta.local_concrete_fields if not field.primary_key]
    rows = Page._base_manager.all()._batched_insert(offers, page_fields, batch_size=None)
    for offer, (pk,) in zip(offers, rows, strict=True):
        offer.id = offer.page_ptr_id = pk
    OfferPage._base_manager.all()._batched_insert(offers, OfferPage._meta.local_concrete_fields, batch_size=None)


def _insert_related(offers: list[OfferPage]) -> None:
    slots, costs, sessions, closed = [], [], [], []
    for offer in offers:
        for order, session in enumerate(offer.sessions.all()):
            session.offer, session.sort_order = offer, order
            sessions.append(session)
        for order, days in enumerate(offer.closed_days.all()):
            days.offer, days.sort_order = offer, order
            closed.append(days)
        for order, slot in enumerate(offer.time_slots.all()):
            slot.offer, slot.sort_order = offer, order
            slots.append(slot)
        for order, cost in enumerate(offer.extra_costs.all()):
            cost.offer, cost.sort_order = offer, order
            costs.append(cost)
    OfferTimeSlot.objects.bulk_create(slots)
    OfferExtraCost.objects.bulk_create(costs)
    OfferSession.objects.bulk_create(sessions)
    OfferClosedDay.objects.bulk_create(closed)
    for name in ("themes", "languages"):
        relation = OfferPage._meta.get_field(name)
        through, own, other = relation.remote_field.through, relation.m2m_field_name(), relation.m2m_reverse_name()
        through.objects.bulk_create(
            through(**{f"{own}_id": offer.pk, other: related.pk})
            for offer in offers
            for related in getattr(offer, name).all()
        )


def _publish_revisions(offers: list[OfferPage], *, by: AbstractBaseUser | None, now) -> None:
    offer_type = ContentType.objects.get_for_model(OfferPage)
    page_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=offer_type,
            base_content_type=page_type,
            object_id=str(offer.pk),
            created_at=now,
            user=by,
            content=offer.serializable_data(),
            object_str=str(offer),
        )
        for offer in offers
    )
    pointers = []
    for offer, revision in zip(offers, revisions, strict=True):
        offer.latest_revision = offer.live_revision = revision
        pointers.append(Page(pk=offer.pk, latest_revision=revision, live_revision=revision))
    Page.objects.bulk_update(pointers, ["latest_revision", "live_revision"])
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            content_type=offer_type,
            label=offer.get_admin_display_title(),
            action=action,
            timestamp=now,
            user=by,
            page_id=offer.pk,
            revision=offer.live_revision,
            content_changed=True,
        )
        for offer in offers
        for action in ("wagtail.create", "wagtail.publish")
    )


def offers_create(*, parent: Page, inputs: Sequence[OfferInput], by: AbstractBaseUser | None = None) -> list[Outcome]:
    """Validate and create these offers under the organisation's page, published; one outcome per input.

    An input that fails validation gets its ``ValidationError`` (an external id another offer of the
    organisation has meanwhile taken included: the caller may then update that offer instead) and
    writes nothing. The caller has asked ``organisations.permissions.can_edit_for``; a person must
    moreover hold Wagtail's right to publish under this page, as ``revision.publish(user=...)``
    would demand.
    """
    with transaction.atomic():
        parent = Page.objects.select_for_update().get(pk=parent.pk).specific
        if by is not None and not parent.permissions_for_user(by).can_publish_subpage():
            raise PermissionDenied
        slug_for = _slugs(parent)
        outcomes = [_validated(parent, data, slug_for) for data in inputs]
        _refuse_taken_ids(parent, outcomes)
        offers = [outcome for outcome in outcomes if isinstance(outcome, OfferPage)]
        if offers:
            now = timezone.now()
            _place_in_tree(parent, offers, now)
            _insert_pages(offers)
            _insert_related(offers)
            _publish_revisions(offers, by=by, now=now)
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(offers))
            ids = [offer.pk for offer in offers]
            offers_published.send(sender=OfferPage, ids=ids)
            transaction.on_commit(lambda: _enqueue_wagtail_indexes(ids))
    return outcomes


def _enqueue_wagtail_indexes(ids: list[int]) -> None:
    from .tasks import update_wagtail_indexes

    update_wagtail_indexes.enqueue(ids)


def wagtail_indexes_update(ids: Sequence[int]) -> None:
    """Wagtail's own search index (the admin's page search) and reference index for these offers, at once."""
    from wagtail.models import ReferenceIndex

    from modelsearch.backends import get_search_backends

    offers = list(OfferPage.objects.filter(pk__in=ids).order_by("pk"))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(OfferPage, offers)
    with transaction.atomic():
        for offer in offers:
            ReferenceIndex.create_or_update_for_object(offer)
