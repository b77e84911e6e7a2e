"""DRF authentication by a per-organisation API key, its rate limit, and its OpenAPI security scheme."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from .models import ApiKey, OrganisationPrincipal
from .services import api_key_find

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>``: the request acts for the key's organisation.

    ``request.user`` becomes an ``OrganisationPrincipal`` (never the person who issued the key, so a
    coordinator's key cannot reach every organisation) and ``request.auth`` the ``ApiKey``.
    A request without this header falls through to the next authentication class.
    """

    def authenticate(self, request: Request) -> tuple[OrganisationPrincipal, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after 'Api-Key', with one space and no other text."))
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Unknown API key.")) from None
        api_key = api_key_find(plaintext)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Unknown API key."))
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        return OrganisationPrincipal(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ApiKeyRateThrottle(SimpleRateThrottle):
    """One request budget per API key (scope ``api_key``)."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PersonRateThrottle(UserRateThrottle):
    """One budget per signed-in person (scope ``user``); keys and anonymous callers have their own throttles.

    DRF's UserRateThrottle would key every API key on ``request.user.pk``, which a principal lacks,
    and so put all keys in one shared budget.
    """

    def get_cache_key(self, request: Request, view) -> str | None:
        if isinstance(request.auth, ApiKey) or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents the key in the OpenAPI schema as an ``Authorization`` header scheme."""

    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner organisation's key, sent as `Authorization: Api-Key vtn_<prefix>_<secret>`. "
            "Coordinators and the organisation's editors issue and revoke keys in the admin; a key acts for "
            "its own organisation only.",
        }
