"""URL configuration: the admin, the catalogue, the site search, language switching, the API and Wagtail's pages."""

from django.conf import settings
from django.urls import include, path

from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views as portal_views
from portal.page_urls import page_urlpatterns

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("portal.api")),
    path("open-data/", include("catalogue.urls")),
    path("", include("search.urls")),
    path("bemiddeling/", include("portal.workspace.urls")),
    path("aanmelden/", include("portal.workspace.public_urls")),
    path("zoeken/", portal_views.site_search, name="site_search"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages last: Dutch ones at their own path, the English and French trees under /en/ and /fr/.
urlpatterns += page_urlpatterns()
