"""Organisation B's mediator can never read, list, change or print organisation A's case, nor see its audit."""

from django.urls import reverse

import pytest

from portal.workspace.models import AuditEntry, ClientCase, ShortlistItem

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(ClientCase.objects.values()),
        list(ShortlistItem.objects.values()),
        list(AuditEntry.objects.values()),
    )


def test_other_organisation_cannot_list_the_case(client, mediator_b, case_a, login):
    """Error case: B's case list does not show A's case code."""
    login(client, mediator_b)
    response = client.get(reverse("workspace:case_list"))
    assert response.status_code == 200 and "KX-4821" not in response.content.decode()


@pytest.mark.parametrize("name", ["case_detail", "case_edit"])
def test_other_organisation_cannot_read_the_case(client, mediator_b, case_a, name, login):
    """Error case: A's case pages are a 404 for B, and the refusal leaves the database unchanged."""
    login(client, mediator_b)
    before = _snapshot()
    response = client.get(reverse(f"workspace:{name}", args=[case_a.pk]))
    assert response.status_code == 404 and "KX-4821" not in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["client_sheet", "client_sheet_pdf"])
def test_other_organisation_cannot_print_a_sheet_of_the_case(client, mediator_b, case_a, make_offer, name, login):
    """Error case: B cannot make a client sheet under A's case."""
    offer = make_offer("Om de hoek")
    login(client, mediator_b)
    before = _snapshot()
    assert client.get(reverse(f"workspace:{name}", args=[case_a.pk, offer.pk])).status_code == 404
    assert _snapshot() == before


def test_other_organisation_cannot_change_the_case(client, mediator_b, case_a, make_offer, login):
    """Error case: B's posts to edit A's case or its shortlist are refused and change nothing."""
    offer = make_offer("Om de hoek")
    login(client, mediator_b)
    before = _snapshot()
    edit = client.post(reverse("workspace:case_edit", args=[case_a.pk]), {"code": "ZZ-99", "status": "closed"})
    add = client.post(reverse("workspace:shortlist_add", args=[case_a.pk, offer.pk]))
    remove = client.post(reverse("workspace:shortlist_remove", args=[case_a.pk, offer.pk]))
    assert (edit.status_code, add.status_code, remove.status_code) == (404, 404, 404)
    assert _snapshot() == before


def test_a_coordinator_or_superuser_elsewhere_has_no_access(client, coordinator, admin_user, case_a, login):
    """Error case: the network's coordinator and a superuser of no organisation cannot open A's case."""
    for user in (coordinator, admin_user):
        login(client, user)
        assert client.get(reverse("workspace:case_detail", args=[case_a.pk])).status_code == 404
        assert "KX-4821" not in client.get(reverse("workspace:case_list")).content.decode()


def test_the_audit_log_cannot_be_changed(case_a):
    """Error case: an audit entry can be neither changed nor deleted."""
    from django.core.exceptions import ValidationError

    entry = AuditEntry.objects.get()
    entry.action = "read"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.update(action="read")
    assert AuditEntry.objects.get().action == "create"
