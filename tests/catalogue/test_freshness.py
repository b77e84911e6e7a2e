"""Freshness: stale offers, the one-click confirmation in the admin, and reminders to the right editors."""

from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import PageLogEntry

import pytest

from catalogue.freshness import CONFIRM_LOG_ACTION, reminders_send, stale_offers
from catalogue.models import OfferFeedItem, OfferPage, Theme
from catalogue.wagtail_hooks import add_stale_offers_panel
from organisations.roles import Role
from organisations.services import membership_grant
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def period(settings):
    """The default period, whatever the environment sets."""
    settings.OFFER_STALE_AFTER_DAYS = 180


def _days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _confirm_url(offer: OfferPage) -> str:
    return reverse("catalogue_offer_confirm", args=[offer.pk])


@pytest.fixture
def stale_a(partner_a):
    return OfferFactory(
        organisation=partner_a,
        title="Zwemmen (oud)",
        themes=[Theme.objects.get(slug="zwemmen")],  # an activity opportunity, so the change feed carries it
        last_confirmed=_days_ago(200),
    )


@pytest.fixture
def stale_b(partner_b):
    return OfferFactory(organisation=partner_b, title="Theater (oud)", last_confirmed=_days_ago(300))


# Which offers are stale


def test_an_offer_is_stale_after_the_configured_period(partner_a):
    """An offer confirmed 181 days ago is stale, one confirmed 180 days ago is not (default 180)."""
    old = OfferFactory(organisation=partner_a, last_confirmed=_days_ago(181))
    OfferFactory(organisation=partner_a, last_confirmed=_days_ago(180))
    assert list(stale_offers()) == [old]


def test_the_period_comes_from_the_settings(partner_a, settings):
    """OFFER_STALE_AFTER_DAYS sets the period."""
    settings.OFFER_STALE_AFTER_DAYS = 30
    offer = OfferFactory(organisation=partner_a, last_confirmed=_days_ago(31))
    assert list(stale_offers()) == [offer]


def test_an_unpublished_offer_is_not_listed_as_stale(partner_a):
    """Only published offers wait for a confirmation; a draft is the organisation's own business."""
    OfferFactory(organisation=partner_a, last_confirmed=_days_ago(400), publish=False)
    assert list(stale_offers()) == []


# Confirming


def test_an_editor_confirms_an_offer_in_one_click(client, editor_a, stale_a, django_capture_on_commit_callbacks):
    """The date moves to today without a new revision; the history logs it; the change feed hears it."""
    revisions = stale_a.revisions.count()
    client.force_login(editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_confirm_url(stale_a), {"next": reverse("wagtailadmin_home")})
    assert response.status_code == 302
    offer = OfferPage.objects.get(pk=stale_a.pk)
    assert offer.last_confirmed == timezone.localdate()
    assert offer.revisions.count() == revisions
    assert offer.live_revision.content["last_confirmed"] == timezone.localdate().isoformat()
    assert PageLogEntry.objects.filter(page=offer, action=CONFIRM_LOG_ACTION, user=editor_a).count() == 1
    item = OfferFeedItem.objects.get(offer_id=offer.pk)
    assert item.data["schema:mainEntityOfPage"]["schema:lastReviewed"] == timezone.localdate().isoformat()


def test_confirming_keeps_a_pending_draft(client, editor_a, stale_a):
    """A draft waiting for review is neither published nor lost, and will carry the new date when it is."""
    stale_a.title = "Zwemmen (nieuwe titel, ontwerp)"
    stale_a.save_revision()
    client.force_login(editor_a)
    client.post(_confirm_url(stale_a))
    offer = OfferPage.objects.get(pk=stale_a.pk)
    assert offer.title == "Zwemmen (oud)"
    assert offer.has_unpublished_changes
    assert offer.latest_revision.content["title"] == "Zwemmen (nieuwe titel, ontwerp)"
    assert offer.latest_revision.content["last_confirmed"] == timezone.localdate().isoformat()


def test_another_partner_cannot_confirm_someone_else_s_offer(client, editor_b, stale_a):
    """Error case: partner B's editor gets 403 and partner A's offer, its revisions and history stay as they were."""
    client.force_login(editor_b)
    response = client.post(_confirm_url(stale_a))
    assert response.status_code == 403
    offer = OfferPage.objects.get(pk=stale_a.pk)
    assert offer.last_confirmed == _days_ago(200)
    assert offer.live_revision.content["last_confirmed"] == _days_ago(200).isoformat()
    assert not PageLogEntry.objects.filter(page=offer, action=CONFIRM_LOG_ACTION).exists()


def test_a_coordinator_may_confirm_any_offer(client, coordinator, stale_a):
    """Coordinators edit every organisation's offers, so they may confirm them too."""
    client.force_login(coordinator)
    assert client.post(_confirm_url(stale_a)).status_code == 302
    assert OfferPage.objects.get(pk=stale_a.pk).last_confirmed == timezone.localdate()


def test_confirming_needs_a_post(client, editor_a, stale_a):
    """Error case: a GET (a link, a prefetch) never confirms."""
    client.force_login(editor_a)
    assert client.get(_confirm_url(stale_a)).status_code == 405
    assert OfferPage.objects.get(pk=stale_a.pk).last_confirmed == _days_ago(200)


def test_confirming_is_protected_against_cross_site_requests(editor_a, stale_a):
    """Error case: a POST without the CSRF token is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    assert client.post(_confirm_url(stale_a)).status_code == 403
    assert OfferPage.objects.get(pk=stale_a.pk).last_confirmed == _days_ago(200)


def test_an_outside_next_address_is_ignored(client, editor_a, stale_a):
    """Error case: the redirect after confirming never leaves the site."""
    client.force_login(editor_a)
    response = client.post(_confirm_url(stale_a), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("wagtailadmin_home")


# The dashboard panel


def test_the_dashboard_lists_the_editor_s_own_stale_offers(client, editor_a, stale_a, stale_b):
    """The panel shows partner A's stale offer with a confirm button, and nothing of partner B."""
    client.force_login(editor_a)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "stale-offers" in content
    assert stale_a.title in content
    assert _confirm_url(stale_a) in content
    assert stale_b.title not in content
    assert "csrfmiddlewaretoken" in content


def test_the_dashboard_has_no_panel_for_someone_who_edits_no_offers(client, mediator, stale_a):
    """An admin user who edits no organisation's offers (here a mediator let into the admin) sees no panel."""
    mediator.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(mediator)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert stale_a.title not in response.content.decode()
    assert "stale-offers" not in response.content.decode()


# Reminders


def _recipients() -> dict[str, str]:
    return {message.to[0]: message.body for message in mail.outbox}


def test_reminders_go_only_to_the_organisation_s_editors(editor_a, editor_b, mediator, coordinator, stale_a, stale_b):
    """Each organisation's editors get the list of their own stale offers, no one else's; others get nothing."""
    membership_grant(user=mediator, organisation=stale_a.organisation, role=Role.MEDIATOR)
    fresh = OfferFactory(organisation=stale_a.organisation, title="Net bevestigd", last_confirmed=_days_ago(3))
    report = reminders_send()
    assert (report.organisations, report.messages, report.offers) == (2, 2, 2)
    recipients = _recipients()
    assert set(recipients) == {editor_a.email, editor_b.email}
    assert stale_a.title in recipients[editor_a.email]
    assert stale_b.title not in recipients[editor_a.email]
    assert fresh.title not in recipients[editor_a.email]
    assert stale_b.title in recipients[editor_b.email]
    assert stale_a.title not in recipients[editor_b.email]


def test_each_editor_gets_a_message_of_their_own(editor_a, partner_a, stale_a):
    """Two editors of one organisation get one message each; inactive people and people without e-mail get none."""
    colleague = UserFactory(username="collega-a")
    membership_grant(user=colleague, organisation=partner_a, role=Role.PARTNER_EDITOR)
    gone = UserFactory(username="vertrokken-a", is_active=False)
    membership_grant(user=gone, organisation=partner_a, role=Role.PARTNER_EDITOR)
    silent = UserFactory(username="zonder-mail-a", email="")
    membership_grant(user=silent, organisation=partner_a, role=Role.PARTNER_EDITOR)
    reminders_send()
    assert sorted(message.to for message in mail.outbox) == sorted([[editor_a.email], [colleague.email]])


def test_a_reminder_goes_once_per_period(editor_a, stale_a):
    """Running daily does not repeat the reminder; after another full period it comes again."""
    today = timezone.localdate()
    reminders_send(today=today)
    reminders_send(today=today + timedelta(days=1))
    assert len(mail.outbox) == 1
    reminders_send(today=today + timedelta(days=180))
    assert len(mail.outbox) == 2


def test_a_newly_stale_offer_brings_a_reminder_listing_all_stale_offers(editor_a, partner_a, stale_a):
    """When another offer goes stale, the organisation hears again, with the full list."""
    today = timezone.localdate()
    reminders_send(today=today)
    later = OfferFactory(organisation=partner_a, title="Later oud", last_confirmed=today - timedelta(days=170))
    reminders_send(today=today + timedelta(days=20))
    assert len(mail.outbox) == 2
    assert stale_a.title in mail.outbox[1].body and later.title in mail.outbox[1].body


def test_a_confirmed_offer_brings_no_reminder(client, editor_a, stale_a):
    """After a confirmation the offer is fresh and nobody is reminded of it."""
    client.force_login(editor_a)
    client.post(_confirm_url(stale_a))
    assert reminders_send().messages == 0
    assert mail.outbox == []


def test_an_organisation_without_editors_is_reported_and_tried_again(partner_b, stale_b, editor_b):
    """Error case: with no editor to write to, nothing is marked, so the reminder goes once an editor exists."""
    editor_b.memberships.all().delete()
    report = reminders_send()
    assert report.without_editors == [partner_b.name]
    membership_grant(user=editor_b, organisation=partner_b, role=Role.PARTNER_EDITOR)
    assert reminders_send().messages == 1


def test_the_command_sends_and_reports(editor_a, stale_a):
    """`manage.py send_freshness_reminders` sends the reminders and says how many."""
    out = StringIO()
    call_command("send_freshness_reminders", stdout=out)
    assert "1 message(s) to 1 organisation(s) about 1 offer(s)" in out.getvalue()
    assert mail.outbox[0].to == [editor_a.email]
    assert reverse("wagtailadmin_pages:edit", args=[stale_a.pk]) in mail.outbox[0].body


def test_a_coordinator_s_review_panel_comes_before_the_network_s_stale_offers(rf, coordinator, editor_a):
    """Wagtail's 'awaiting your review' panel is a coordinator's first task; for a partner the stale list leads."""
    for user, before_review in ((coordinator, False), (editor_a, True)):
        request = rf.get("/admin/")
        request.user = user
        panels = []
        add_stale_offers_panel(request, panels)
        assert (panels[0].order < WorkflowObjectsToModeratePanel.order) is before_review
