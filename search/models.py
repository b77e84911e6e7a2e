"""The embedded engine's index: one flat row per published offer, plus its multi-valued terms."""

from django.db import models

from catalogue import facts

from .facets import THRESHOLD_NAMES


class OfferDocument(models.Model):
    """A published offer as the database engine searches it; rebuilt from the page, never edited."""

    offer_id = models.BigIntegerField(primary_key=True)
    document = models.JSONField()
    title_text = models.TextField()
    text = models.TextField()
    organisation = models.CharField(max_length=200, db_index=True)
    domain = models.CharField(max_length=20, db_index=True)
    district = models.CharField(max_length=10, db_index=True)
    neighbourhood = models.CharField(max_length=10, db_index=True)
    latitude = models.FloatField(db_index=True)
    longitude = models.FloatField()
    cost_regular = models.DecimalField(max_digits=8, decimal_places=2)
    cost_uitpas = models.DecimalField(max_digits=8, decimal_places=2)
    cost_social = models.DecimalField(max_digits=8, decimal_places=2)
    cost_all = models.DecimalField(max_digits=8, decimal_places=2)
    is_free = models.BooleanField()
    age_min = models.PositiveSmallIntegerField()
    age_max = models.PositiveSmallIntegerField()
    dutch_level = models.PositiveSmallIntegerField()
    end_date = models.DateField(null=True, db_index=True)
    last_confirmed = models.DateField(db_index=True)
    published_at = models.DateTimeField(null=True)

    # One boolean column per flag fact, named as in catalogue.facts and search.facets, so the
    # list of facts stays defined in one place.
    locals().update({fact.field: models.BooleanField(default=False) for fact in facts.ACCESSIBILITY_FACTS})
    locals().update({name: models.BooleanField(default=False) for name in THRESHOLD_NAMES})

    class Meta:
        indexes = [models.Index(fields=["cost_regular"]), models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return self.document.get("title", str(self.offer_id))


class OfferTerm(models.Model):
    """One value of a multi-valued field (theme, language, weekday, part of day, slot) of a document."""

    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="terms")
    group = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["group", "value", "document"])]
        constraints = [models.UniqueConstraint(fields=["document", "group", "value"], name="unique_offer_term")]

    def __str__(self) -> str:
        return f"{self.group}={self.value}"
