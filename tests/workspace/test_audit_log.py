"""The audit log is append-only at the database: every way to change or remove an entry is refused,
except the retention purge, which removes only entries past the period and records that it ran."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

import pytest

from portal.workspace.audit_guard import AUDIT_MIN_RETENTION_DAYS
from portal.workspace.models import AuditEntry, AuditPurge
from portal.workspace.privacy import purge_expired
from tests.workspace.conftest import audit_entry_at

pytestmark = pytest.mark.django_db
REFUSED = (IntegrityError, ValidationError)


@pytest.fixture
def entries():
    """25 entries of today, as in the attack, and one of 1000 days ago."""
    for index in range(25):
        AuditEntry.objects.create(username="mediator-a", case_code=f"KX-{index:04}", action="read")
    audit_entry_at(timezone.now() - timedelta(days=1000), case_code="OLD-11")


def _refused(action) -> None:
    with pytest.raises(REFUSED), transaction.atomic():
        action()


def _raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


ROUTES = {
    "save": lambda: AuditEntry.objects.first().save(),
    "delete": lambda: AuditEntry.objects.first().delete(),
    "queryset update": lambda: AuditEntry.objects.update(action="create"),
    "queryset delete": lambda: AuditEntry.objects.all().delete(),
    "base manager update": lambda: AuditEntry._base_manager.update(action="create"),
    "base manager delete": lambda: AuditEntry._base_manager.all()._raw_delete(connection.alias),
    "base manager save": lambda: AuditEntry._base_manager.filter(case_code="KX-0001").update(username="x"),
    "raw update": lambda: _raw("UPDATE workspace_auditentry SET action = 'create'"),
    "raw delete": lambda: _raw("DELETE FROM workspace_auditentry"),
    "raw delete of one": lambda: _raw("DELETE FROM workspace_auditentry WHERE case_code = %s", "KX-0001"),
    "raw update of an old one": lambda: _raw(
        "UPDATE workspace_auditentry SET username = 'x' WHERE case_code = 'OLD-11'"
    ),
}


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_to_change_or_remove_an_entry_is_refused(entries, route):
    """Attack: the ORM, its base manager, QuerySet.update, and raw SQL all fail to change or remove an entry."""
    before = list(AuditEntry._base_manager.order_by("pk").values())
    _refused(ROUTES[route])
    assert list(AuditEntry._base_manager.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("cutoff_days_ago", "retention_days"),
    [(-30, 730), (0, 730), (729, 730), (10, 10), (0, 0), (AUDIT_MIN_RETENTION_DAYS - 1, AUDIT_MIN_RETENTION_DAYS - 1)],
)
def test_a_purge_cannot_be_told_a_date_in_the_future_or_a_short_period(entries, cutoff_days_ago, retention_days):
    """Attack: recording a purge with a cutoff not past its period, or a period under the minimum, is refused."""
    cutoff = timezone.now() - timedelta(days=cutoff_days_ago)
    _refused(lambda: AuditPurge.objects.create(cutoff=cutoff, retention_days=retention_days))
    assert AuditEntry.objects.count() == 26 and not AuditPurge.objects.exists()


@pytest.mark.parametrize("retention_days", [0, 10, AUDIT_MIN_RETENTION_DAYS - 1])
def test_the_purge_with_a_short_period_is_refused(entries, retention_days):
    """Attack: the purge asked to keep less than the minimum period (the old expire_before(future)) removes nothing."""
    _refused(lambda: AuditEntry.objects.purge_expired(retention_days=retention_days))
    assert AuditEntry.objects.count() == 26 and not AuditPurge.objects.exists()


def test_the_purge_removes_only_entries_past_the_period_and_records_it(entries):
    """The retention purge removes the 1000-day entry, keeps the 25 of today, and records its run."""
    counts = purge_expired()
    assert counts["audit_entries"] == 1
    assert AuditEntry.objects.filter(case_code__startswith="KX-").count() == 25
    assert not AuditEntry.objects.filter(case_code="OLD-11").exists()
    (run,) = AuditPurge.objects.all()
    assert run.retention_days == 730 and timezone.now() - run.cutoff >= timedelta(days=730)


def test_after_a_purge_recent_entries_stay_unremovable(entries):
    """Attack: once a purge ran, raw SQL still cannot remove an entry younger than its cutoff."""
    purge_expired()
    _refused(lambda: _raw("DELETE FROM workspace_auditentry"))
    assert AuditEntry.objects.count() == 25


@pytest.mark.parametrize(
    "route",
    [
        lambda: AuditPurge.objects.update(retention_days=1),
        lambda: AuditPurge.objects.all().delete(),
        lambda: _raw("UPDATE workspace_auditpurge SET cutoff = %s", timezone.now()),
    ],
)
def test_the_record_of_purges_is_append_only_too(entries, route):
    """Attack: a recorded purge cannot be moved forward or removed."""
    purge_expired()
    _refused(route)
    assert AuditPurge.objects.count() == 1
