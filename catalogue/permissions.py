"""DRF permissions for the offers API: each asks the one organisation rule in ``organisations.permissions``."""

from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, IsAuthenticatedOrReadOnly
from rest_framework.request import Request

from organisations.models import Organisation
from organisations.permissions import User, can_edit_for, organisations_editable_by

from .models import OfferPage


class ReadOrChangeOwnOffers(IsAuthenticatedOrReadOnly):
    """Anyone reads; changing an offer needs a caller who may edit for the offer's organisation."""

    message = _("You may only change the offers of your own organisation.")

    def has_object_permission(self, request: Request, view, obj: OfferPage) -> bool:
        return request.method in SAFE_METHODS or can_edit_for(request.user, obj.organisation)


def acting_organisation(user: User, slug: str | None) -> Organisation:
    """The organisation a new or upserted offer belongs to: the one named, or the caller's only one.

    A key acts for its own organisation; a person who may edit for several (a coordinator, an editor
    of two partners) names it with ``?organisation=<slug>``.
    """
    if slug is not None:
        # A slug is letters, digits and dashes; anything else (empty, a NUL byte) names no organisation.
        organisation = Organisation.objects.filter(slug=slug).first() if slug_re.fullmatch(slug) else None
        if organisation is None:
            raise exceptions.ValidationError({"organisation": [_("No organisation has this slug.")]})
        if not can_edit_for(user, organisation):
            raise exceptions.PermissionDenied(_("You may not write offers for this organisation."))
        return organisation
    choices = list(organisations_editable_by(user)[:2])
    if not choices:
        raise exceptions.PermissionDenied(_("You may not write offers for any organisation."))
    if len(choices) > 1:
        raise exceptions.ValidationError(
            {"organisation": [_("You edit for several organisations: name one with ?organisation=<slug>.")]}
        )
    return choices[0]
