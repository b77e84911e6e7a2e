"""Search page URLs: the public catalogue and the mediators' search."""

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("aanbod/", views.public_search, name="public"),
    path("bemiddeling/zoeken/", views.mediator_search, name="mediator"),
]
