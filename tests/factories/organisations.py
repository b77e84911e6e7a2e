"""Factories for users and organisations."""

from django.contrib.auth import get_user_model

from wagtail.models import Site

import factory

from organisations.models import Organisation, OrganisationIndexPage, OrganisationKind
from organisations.services import organisation_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Creates the organisation with its page and editors group, as the service does: in the directory given as
    ``index``, else the default site's (each network's site has its own directory)."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.LEISURE_PROVIDER

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Organisation:
        index = kwargs.pop("index", None) or (
            OrganisationIndexPage.objects.descendant_of(Site.objects.get(is_default_site=True).root_page).get()
        )
        return organisation_create(index=index, **kwargs)
