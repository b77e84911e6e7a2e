"""Retention of open cases counts from their latest activity, whichever record holds it (issue 11, item 7).

The attack: ``purge_expired`` deleted an open case whose referral changed today, because only the
case's own last edit counted. The period is ``inactive_case`` (730 days by default).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest

from portal.workspace.models import ClientCase, Referral, ReferralStatusChange, ShortlistItem
from portal.workspace.privacy import purge_expired
from portal.workspace.referrals import referral_create, referral_set_status
from portal.workspace.services import shortlist_add
from portal.workspace.trajectories import trajectory_start
from tests.workspace.conftest import audit_entry_at

pytestmark = pytest.mark.django_db
PERIOD = settings.WORKSPACE_RETENTION_DAYS["inactive_case"]


def _ago(days: float):
    return timezone.now() - timedelta(days=days)


def _quiet(case, days: float) -> None:
    ClientCase.objects.filter(pk=case.pk).update(updated_at=_ago(days))


@pytest.fixture
def offer(make_offer):
    return make_offer("Om de hoek")


def test_an_open_case_whose_referral_changed_today_stays(mediator_a, case_a, offer):
    """Attack: an open case untouched for 900 days whose referral changed today is kept."""
    referral = referral_create(
        by=mediator_a, case=case_a, offer=offer, consent=True, contact_arrangement="client_comes"
    )
    Referral.objects.filter(pk=referral.pk).update(sent_at=_ago(900), consent_at=_ago(900))
    ReferralStatusChange.objects.filter(referral=referral).update(at=_ago(900))
    referral_set_status(by=mediator_a, referral=referral, status="contacted")
    ReferralStatusChange.objects.filter(referral=referral, status="proposed").update(at=_ago(900))
    _quiet(case_a, 900)
    assert purge_expired()["cases"] == 0
    assert ClientCase.objects.filter(pk=case_a.pk).exists()


def _referral_change(mediator, case, offer, days):
    referral = referral_create(by=mediator, case=case, offer=offer, consent=True, contact_arrangement="client_comes")
    Referral.objects.filter(pk=referral.pk).update(sent_at=_ago(PERIOD + 50))
    ReferralStatusChange.objects.filter(referral=referral).update(at=_ago(days))


def _referral_sent(mediator, case, offer, days):
    referral = referral_create(by=mediator, case=case, offer=offer, consent=True, contact_arrangement="client_comes")
    Referral.objects.filter(pk=referral.pk).update(sent_at=_ago(days))
    ReferralStatusChange.objects.filter(referral=referral).update(at=_ago(days))


def _shortlist(mediator, case, offer, days):
    shortlist_add(by=mediator, case=case, offer=offer)
    ShortlistItem.objects.filter(case=case).update(added_at=_ago(days))


def _shortlist_removed(mediator, case, offer, days):
    """A removal leaves no row, only its audit entry."""
    audit_entry_at(_ago(days), case_code=case.code, action="shortlist_remove", organisation_id=case.organisation_id)


def _own_edit(mediator, case, offer, days):
    pass


ACTIVITIES = {
    "a referral's status change": _referral_change,
    "a referral made": _referral_sent,
    "a shortlisted offer": _shortlist,
    "a shortlist removal": _shortlist_removed,
    "the case's own edit": _own_edit,
}


@pytest.mark.parametrize("activity", ACTIVITIES)
@pytest.mark.parametrize(
    ("days", "kept"), [(PERIOD - 1, True), (PERIOD - 0.01, True), (PERIOD + 0.01, False), (PERIOD + 1, False)]
)
def test_the_latest_activity_decides_on_the_boundary_days(mediator_a, case_a, offer, activity, days, kept):
    """Boundary: the latest activity one day or minutes inside the period keeps the case; just past it, it goes."""
    ACTIVITIES[activity](mediator_a, case_a, offer, days)
    _quiet(case_a, days if activity == "the case's own edit" else PERIOD + 50)
    purge_expired()
    assert ClientCase.objects.filter(pk=case_a.pk).exists() is kept


def test_reading_a_case_is_no_activity(client, mediator_a, case_a, login):
    """A case only read (page, sheet, export) within the period still goes when nothing changed in it."""
    audit_entry_at(_ago(3), case_code=case_a.code, action="read", organisation_id=case_a.organisation_id)
    _quiet(case_a, PERIOD + 1)
    assert purge_expired()["cases"] == 1


def test_an_open_trajectory_keeps_a_quiet_case(mediator_a, case_a):
    """An open trajectory is never purged, however long nothing happened."""
    trajectory_start(by=mediator_a, case=case_a, kind="long")
    _quiet(case_a, PERIOD * 3)
    ClientCase.objects.filter(pk=case_a.pk).update(updated_at=_ago(PERIOD * 3))
    assert purge_expired()["cases"] == 0


def test_the_same_code_in_another_organisation_is_not_activity(mediator_a, mediator_b, case_a, buurtwerk_b):
    """An audit entry for the same code in another organisation does not keep this case."""
    audit_entry_at(_ago(3), case_code=case_a.code, action="shortlist_remove", organisation_id=buurtwerk_b.pk)
    _quiet(case_a, PERIOD + 1)
    assert purge_expired()["cases"] == 1
