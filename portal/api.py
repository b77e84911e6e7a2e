"""The one API router, mounted at /api/v1/, with the OpenAPI schema and its browsable docs."""

from django.urls import path

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
