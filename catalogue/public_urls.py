"""A page's public address: the configured public host (``PUBLIC_BASE_URL``) followed by the page's own path.

Wagtail's ``get_full_url`` takes the host from the page's Site, which in development and in a fresh
installation is "localhost"; a QR code on a printed sheet, the open data and the API must point at the
address the public actually reaches, whichever request (or none) asked for it.
"""

from django.conf import settings

from wagtail.models import Page


def public_url(page: Page) -> str | None:
    """The absolute public URL of ``page``, or None when the page is not routable (not under a site)."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    _site_id, _root_url, path = parts
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
