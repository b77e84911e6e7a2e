"""The sign-in page speaks the portal's name, in Dutch by default and in English when asked."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "heading", "username", "password"),
    [
        ("nl-BE,nl;q=0.9", "Inloggen bij Vrijetijdsnet", "Gebruikersnaam", "Wachtwoord"),
        ("", "Inloggen bij Vrijetijdsnet", "Gebruikersnaam", "Wachtwoord"),
        ("fr-BE,fr;q=0.9", "Inloggen bij Vrijetijdsnet", "Gebruikersnaam", "Wachtwoord"),
        ("en-GB,en;q=0.9", "Sign in to Vrijetijdsnet", "Username", "Password"),
    ],
)
def test_login_page_names_the_portal_in_the_visitors_language(client, accept_language, heading, username, password):
    """Regression: the page said "Inloggen in Wagtail" and labelled the password in English for Dutch readers."""
    response = client.get("/admin/login/", headers={"accept-language": accept_language})
    body = re.sub(r"\s+", " ", response.content.decode())
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in body and "Wagtail</title>" not in body and " - Vrijetijdsnet</title>" in body
    assert f'for="id_username" id="id_username-label"> {username}<span' in body
    assert f'for="id_password" id="id_password-label"> {password}<span' in body
