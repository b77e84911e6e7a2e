"""API keys: issued once in plaintext, stored hashed, revocable, and bound to one organisation by the one rule."""

from django.core.exceptions import PermissionDenied
from django.utils import translation

import pytest

from organisations.models import ApiKey, OrganisationPrincipal
from organisations.permissions import can_edit_for, can_use_mediator_tools, is_coordinator, organisations_editable_by
from organisations.services import api_key_find, api_key_issue, api_key_revoke

pytestmark = pytest.mark.django_db

INDEX = "/admin/api_keys/"


@pytest.fixture
def key_a(partner_a, editor_a) -> tuple[ApiKey, str]:
    return api_key_issue(organisation=partner_a, name="Boekingssysteem A", by=editor_a)


@pytest.fixture
def key_b(partner_b, editor_b) -> tuple[ApiKey, str]:
    return api_key_issue(organisation=partner_b, name="Ticketing B", by=editor_b)


def key_snapshot() -> list[tuple]:
    return list(ApiKey.objects.order_by("pk").values_list("pk", "organisation_id", "name", "revoked_at"))


# Services


def test_issue_returns_the_plaintext_once_and_stores_only_a_hash(key_a, editor_a, partner_a):
    """An issued key's plaintext is returned, and neither it nor its secret is stored."""
    api_key, plaintext = key_a
    stored = ApiKey.objects.get(pk=api_key.pk)
    secret = plaintext.split("_", 2)[2]
    assert plaintext.startswith(f"vtn_{stored.prefix}_")
    assert len(secret) >= 40
    assert secret not in stored.secret_hash and stored.secret_hash != plaintext
    assert stored.organisation == partner_a and stored.created_by == editor_a
    assert stored.is_active and stored.last_used_at is None


def test_two_keys_never_share_a_prefix_or_a_secret(partner_a, editor_a):
    """Each key is random: prefix and plaintext differ between keys."""
    keys = [api_key_issue(organisation=partner_a, name=f"k{i}", by=editor_a) for i in range(5)]
    assert len({key.prefix for key, _ in keys}) == 5
    assert len({plaintext for _, plaintext in keys}) == 5


def test_find_accepts_the_plaintext_and_marks_the_key_used(key_a):
    """The plaintext finds its key and records when it was used."""
    api_key, plaintext = key_a
    found = api_key_find(plaintext)
    assert found == api_key
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda text: text[:-1] + ("A" if text[-1] != "A" else "B"),
        lambda text: text.replace("vtn_", "xyz_", 1),
        lambda text: text.rsplit("_", 1)[0],
        lambda text: "vtn_" + "0" * 12 + "_" + text.split("_", 2)[2],
        lambda text: "",
    ],
    ids=["wrong secret", "wrong label", "no secret", "unknown prefix", "empty"],
)
def test_find_refuses_a_wrong_key(key_a, mangle):
    """Error case: a changed, truncated or made-up key finds nothing."""
    _, plaintext = key_a
    assert api_key_find(mangle(plaintext)) is None


def test_editor_b_cannot_issue_a_key_for_partner_a(partner_a, editor_b):
    """Error case: an editor of B asking for a key of A is refused and nothing is created."""
    with pytest.raises(PermissionDenied):
        api_key_issue(organisation=partner_a, name="Overname", by=editor_b)
    assert not ApiKey.objects.exists()


def test_a_mediator_cannot_issue_keys(partner_a, mediator):
    """Error case: mediators write no offers, so they get no keys."""
    with pytest.raises(PermissionDenied):
        api_key_issue(organisation=partner_a, name="Bemiddeling", by=mediator)


def test_a_coordinator_issues_keys_for_any_organisation(partner_a, partner_b, coordinator):
    """A coordinator issues a key for each partner."""
    for organisation in (partner_a, partner_b):
        api_key, _ = api_key_issue(organisation=organisation, name="Netwerk", by=coordinator)
        assert api_key.organisation == organisation


def test_revoke_is_final_and_harmless_twice(key_a, editor_a):
    """Revoking stops the key; revoking again changes nothing."""
    api_key, plaintext = key_a
    assert api_key_revoke(api_key=api_key, by=editor_a)
    revoked_at = ApiKey.objects.get(pk=api_key.pk).revoked_at
    assert revoked_at is not None
    assert not api_key_revoke(api_key=api_key, by=editor_a)
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at == revoked_at
    found = api_key_find(plaintext)
    assert found is not None and not found.is_active


def test_editor_b_cannot_revoke_partner_a_key(key_a, editor_b):
    """Error case: an editor of B revoking A's key is refused and the key keeps working."""
    api_key, _ = key_a
    with pytest.raises(PermissionDenied):
        api_key_revoke(api_key=api_key, by=editor_b)
    assert ApiKey.objects.get(pk=api_key.pk).is_active


# The organisation rule for a key's principal


def test_a_key_acts_for_its_own_organisation_only(key_a, partner_a, partner_b):
    """A key's principal may edit for its organisation and for no other."""
    principal = OrganisationPrincipal(key_a[0])
    assert can_edit_for(principal, partner_a)
    assert not can_edit_for(principal, partner_b)
    assert list(organisations_editable_by(principal)) == [partner_a]


def test_a_coordinator_key_still_acts_for_one_organisation(partner_a, partner_b, coordinator):
    """A key a coordinator issued for A acts for A, not with the coordinator's reach."""
    api_key, _ = api_key_issue(organisation=partner_a, name="Netwerk", by=coordinator)
    principal = OrganisationPrincipal(api_key)
    assert not can_edit_for(principal, partner_b)
    assert not is_coordinator(principal)
    assert not can_use_mediator_tools(principal)


def test_a_revoked_key_edits_for_nobody(key_a, editor_a, partner_a):
    """Error case: a principal whose key was revoked meanwhile may no longer edit."""
    api_key, _ = key_a
    principal = OrganisationPrincipal(api_key)
    api_key_revoke(api_key=api_key, by=editor_a)
    assert not can_edit_for(principal, partner_a)


# The admin


def test_editor_a_lists_only_partner_a_keys(client, editor_a, key_a, key_b):
    """Editor A's key list shows A's keys and not B's."""
    client.force_login(editor_a)
    content = client.get(INDEX).content.decode()
    assert "Boekingssysteem A" in content
    assert "Ticketing B" not in content
    assert key_b[0].prefix not in content


def test_a_coordinator_lists_every_key(client, coordinator, key_a, key_b):
    """The coordinator's key list shows the keys of all organisations."""
    client.force_login(coordinator)
    content = client.get(INDEX).content.decode()
    assert "Boekingssysteem A" in content and "Ticketing B" in content


def test_no_key_ever_shows_its_plaintext_in_the_list(client, coordinator, key_a):
    """The list shows prefixes, never secrets."""
    client.force_login(coordinator)
    content = client.get(INDEX).content.decode()
    assert key_a[1] not in content and key_a[1].split("_", 2)[2] not in content


def test_a_mediator_has_no_key_admin(client, mediator, key_a):
    """Error case: a mediator cannot open the key list."""
    client.force_login(mediator)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert "Boekingssysteem A" not in response.content.decode()


def test_issuing_in_the_admin_shows_the_plaintext_once(client, editor_a, partner_a):
    """Editor A issues a key: the answer page shows a working plaintext, not cached; the list never again."""
    client.force_login(editor_a)
    response = client.post(f"{INDEX}new/", {"organisation": partner_a.pk, "name": "Website A"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = ApiKey.objects.get(name="Website A")
    plaintext = response.context["plaintext"]
    assert plaintext in response.content.decode()
    assert api_key_find(plaintext) == api_key and api_key.organisation == partner_a
    assert plaintext not in client.get(INDEX).content.decode()


def test_editor_a_cannot_issue_a_key_for_partner_b_in_the_admin(client, editor_a, partner_b):
    """Error case: partner B is not a choice for editor A; posting it creates nothing."""
    client.force_login(editor_a)
    with translation.override("en"):
        form_page = client.get(f"{INDEX}new/", headers={"accept-language": "en"})
    assert partner_b.name not in form_page.content.decode()
    response = client.post(f"{INDEX}new/", {"organisation": partner_b.pk, "name": "Overname"})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not ApiKey.objects.exists()


def test_editor_a_revokes_own_key_in_the_admin(client, editor_a, key_a):
    """Editor A confirms and revokes A's key; it stays listed."""
    api_key, _ = key_a
    client.force_login(editor_a)
    assert client.get(f"{INDEX}revoke/{api_key.pk}/").status_code == 200
    response = client.post(f"{INDEX}revoke/{api_key.pk}/")
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_b_cannot_revoke_partner_a_key_in_the_admin(client, editor_b, key_a, method):
    """Error case: editor B opening or posting the revoke page of A's key is refused; nothing changes."""
    api_key, _ = key_a
    before = key_snapshot()
    client.force_login(editor_b)
    response = getattr(client, method)(f"{INDEX}revoke/{api_key.pk}/")
    assert response.status_code in (302, 403)
    assert key_snapshot() == before


@pytest.mark.parametrize("path", ["edit/{pk}/", "delete/{pk}/", "copy/{pk}/", "history/{pk}/", "inspect/{pk}/"])
def test_keys_have_no_edit_delete_or_history_views(client, coordinator, key_a, path):
    """A key is issued and revoked, never edited or deleted: those admin views do not exist."""
    client.force_login(coordinator)
    before = key_snapshot()
    response = client.post(INDEX + path.format(pk=key_a[0].pk), {"name": "Anders"})
    assert response.status_code == 404
    assert key_snapshot() == before
