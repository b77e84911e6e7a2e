"""Reserved places ("kansenplaatsen"): asked for with a referral, confirmed or declined by the partner, or lapsed.

A request holds one of the offer's kept places from the moment it is sent; the partner answers in the
referral inbox within ``RESERVED_PLACE_ANSWER_DAYS``, after which the nightly worker lets it lapse and tells
the mediator. The offer's counts (``reserved_places_held``, ``places_confirmed``) are recounted from the
referrals after every change, so search and the OpenActive feed read them without a join.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import OfferPage
from search.indexer import index_after_commit

from .models import PLACE_HOLDING, PLACE_TAKING, AuditAction, PlaceStatus, Referral
from .services import audit_record


def offer_places_recount(offer_id: int) -> None:
    """Write the offer's held and confirmed places from its referrals, and reindex it after commit."""
    counts = Referral.objects.filter(offer_id=offer_id).aggregate(
        held=Count("pk", filter=Q(place_status__in=PLACE_HOLDING)),
        confirmed=Count("pk", filter=Q(place_status__in=PLACE_TAKING)),
    )
    OfferPage.objects.filter(pk=offer_id).update(
        reserved_places_held=counts["held"], places_confirmed=counts["confirmed"]
    )
    index_after_commit([offer_id])


def place_request(*, referral: Referral, offer: OfferPage, today: date | None = None) -> Referral:
    """Ask the offer's partner for one of its kept places for this referral; refused when none is left.

    Called by ``referrals.referral_create`` inside its transaction, which already checked the mediator.
    """
    offer = OfferPage.objects.select_for_update().get(pk=offer.pk)
    today = today or timezone.localdate()
    if offer.reserved_places_left <= 0:
        raise ValidationError({"reserve_place": [_("This offer has no reserved place left.")]})
    referral.place_status = PlaceStatus.REQUESTED
    referral.place_price = offer.reserved_price
    referral.place_answer_by = today + timedelta(days=settings.RESERVED_PLACE_ANSWER_DAYS)
    referral.save(update_fields=["place_status", "place_price", "place_answer_by"])
    offer_places_recount(offer.pk)
    return referral


@transaction.atomic
def place_answer(*, by: AbstractBaseUser, referral: Referral, confirm: bool) -> Referral:
    """The partner confirms or declines the reserved place; the mediator is told."""
    from .referrals import referrals_for_partner

    if not referrals_for_partner(by).filter(pk=referral.pk).exists():
        raise PermissionDenied
    referral = Referral.objects.select_for_update(of=("self",)).select_related("case", "created_by").get(pk=referral.pk)
    if referral.place_status != PlaceStatus.REQUESTED:
        raise ValidationError(_("This reserved place was already answered or has lapsed."))
    referral.place_status = PlaceStatus.CONFIRMED if confirm else PlaceStatus.DECLINED
    referral.place_answered_at = timezone.now()
    referral.save(update_fields=["place_status", "place_answered_at"])
    if referral.offer_id:
        offer_places_recount(referral.offer_id)
    audit_record(
        user=by, case=referral.case, action=AuditAction.REFERRAL_STATUS, detail=f"{referral.pk}:{referral.place_status}"
    )
    transaction.on_commit(lambda: _tell_mediator(referral))
    return referral


def place_used(referral: Referral) -> None:
    """A confirmed place the client started using (first visit or participating) counts as used."""
    if referral.place_status == PlaceStatus.CONFIRMED:
        referral.place_status = PlaceStatus.USED
        referral.save(update_fields=["place_status"])


def place_release(referral: Referral) -> None:
    """A referral that stopped before the partner answered lets its request lapse, freeing the kept place."""
    if referral.place_status == PlaceStatus.REQUESTED:
        referral.place_status = PlaceStatus.LAPSED
        referral.save(update_fields=["place_status"])
        if referral.offer_id:
            offer_places_recount(referral.offer_id)


def places_lapse(today: date) -> int:
    """Let every request the partner did not answer in time lapse, and tell its mediator; returns how many."""
    lapsed = 0
    waiting = Referral.objects.filter(place_status=PlaceStatus.REQUESTED, place_answer_by__lt=today)
    for pk in waiting.values_list("pk", flat=True):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related("case", "created_by")
                .filter(pk=pk, place_status=PlaceStatus.REQUESTED)
                .first()
            )
            if referral is None:
                continue
            referral.place_status = PlaceStatus.LAPSED
            referral.save(update_fields=["place_status"])
            if referral.offer_id:
                offer_places_recount(referral.offer_id)
            transaction.on_commit(lambda referral=referral: _tell_mediator(referral))
            lapsed += 1
    _reindex_released(today)
    return lapsed


def _reindex_released(today: date) -> None:
    # An offer whose keeping date passed yesterday no longer has reserved places: its search document says so.
    ids = OfferPage.objects.filter(reserved_until=today - timedelta(days=1)).values_list("pk", flat=True)
    index_after_commit(list(ids))


def _tell_mediator(referral: Referral) -> None:
    from .referrals import _mail

    subjects = {
        PlaceStatus.CONFIRMED: _("Reserved place confirmed for case %(code)s"),
        PlaceStatus.DECLINED: _("Reserved place declined for case %(code)s"),
        PlaceStatus.LAPSED: _("No answer on the reserved place for case %(code)s"),
    }
    _mail(
        subjects[referral.place_status] % {"code": referral.case.code},
        "workspace/email/reserved_place_answer.txt",
        {"referral": referral},
        [referral.created_by.email if referral.created_by else ""],
    )
