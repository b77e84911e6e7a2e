"""The organisation rule: who may change what an organisation owns, asked in one place."""

from django.contrib.auth.models import AnonymousUser

import pytest

from catalogue.models import OfferPage
from organisations.permissions import can_edit_for, is_coordinator, organisations_editable_by
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_an_editor_may_change_only_their_own_organisation(editor_a, partner_a, partner_b):
    assert can_edit_for(editor_a, partner_a)
    assert not can_edit_for(editor_a, partner_b)
    assert list(organisations_editable_by(editor_a)) == [partner_a]


def test_a_coordinator_may_change_every_organisation(coordinator, partner_a, partner_b):
    assert is_coordinator(coordinator)
    assert can_edit_for(coordinator, partner_a)
    assert can_edit_for(coordinator, partner_b)


@pytest.mark.parametrize("who", ["mediator", "anonymous"])
def test_mediators_and_visitors_change_nothing(request, partner_a, who):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert not can_edit_for(user, partner_a)
    assert not organisations_editable_by(user).exists()


def test_wagtail_page_permissions_agree_with_the_rule(editor_a, editor_b, coordinator, mediator, partner_a, partner_b):
    """The admin's own checks and the organisation rule give the same answer for every user and offer."""
    offers = [OfferFactory(organisation=partner_a), OfferFactory(organisation=partner_b)]
    for user in (editor_a, editor_b, coordinator, mediator):
        for offer in OfferPage.objects.filter(pk__in=[offer.pk for offer in offers]):
            wagtail_says = offer.permissions_for_user(user).can_edit()
            assert wagtail_says == can_edit_for(user, offer.organisation), (user.username, offer.title)
