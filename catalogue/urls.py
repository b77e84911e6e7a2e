"""Open data URLs, mounted at /open-data/: the catalogue as JSON-LD and CSV, and its RPDE change feed."""

from django.urls import path

from . import feed_views

urlpatterns = [
    path("offers.jsonld", feed_views.offers_jsonld, name="open_data_offers_jsonld"),
    path("offers.csv", feed_views.offers_csv, name="open_data_offers_csv"),
    path("rpde/offers", feed_views.offers_rpde, name="open_data_offers_rpde"),
]
