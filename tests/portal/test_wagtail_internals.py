"""The two places that reach into Wagtail's private state: each fails here, loudly, when an upgrade moves it."""

from django.test import RequestFactory

from wagtail import hooks
from wagtail.models import Page

import pytest
from wagtail_localize import wagtail_hooks as localize_hooks

from organisations.wagtail_hooks import wrap_registered_hook
from portal.page_urls import remember_route


def test_wagtail_answers_with_the_route_remembered_on_the_request():
    """portal.page_urls routes in the content language; Wagtail must take that route as its own."""
    request = RequestFactory().get("/en/visienota/")
    route = object()
    remember_route(request, route)
    assert Page.route_for_request(request, "/en/visienota/") is route


@pytest.mark.parametrize("hook_name", ["register_page_header_buttons", "register_page_listing_more_buttons"])
def test_wagtail_localize_translate_button_is_wrapped_in_both_menus(hook_name):
    """The translate button's hook is replaced by the wrapped one, seen through Wagtail's public get_hooks."""
    registered = hooks.get_hooks(hook_name)
    assert localize_hooks.page_listing_more_buttons not in registered
    wrapped = [fn for fn in registered if fn.__module__ == "organisations.wagtail_hooks" and fn.__name__ == "hook"]
    assert len(wrapped) == 1


def test_wrapping_a_hook_that_is_not_registered_fails_loudly():
    """Error case: after an upgrade renames or drops the function, startup fails instead of showing the button."""
    with pytest.raises(RuntimeError, match="not registered"):
        wrap_registered_hook("register_page_header_buttons", lambda **kwargs: [], lambda fn: fn)
