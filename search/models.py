"""The embedded engine's index: one flat row per published offer, and the state readers follow."""

import uuid

from django.db import models


class OfferDocument(models.Model):
    """A published offer as the database engine searches it; rebuilt from the page, never edited.

    ``terms`` holds every multi-valued field as space-separated ``group:value`` tokens
    (``themes:sport accessibility:step_free weekdays:2 ...``), read once into memory by
    ``search.engines.columns`` rather than joined per search.
    """

    offer_id = models.BigIntegerField(primary_key=True)
    generation = models.BigIntegerField(db_index=True)
    document = models.JSONField()
    title_text = models.TextField()
    text = models.TextField()
    organisation = models.CharField(max_length=200)
    domain = models.CharField(max_length=20)
    # The offer's area at each level ("" where it has none): one code per level, so memory holds codes, not tokens.
    municipality = models.CharField(max_length=12, default="")
    deelgemeente = models.CharField(max_length=12, default="")
    district = models.CharField(max_length=10)
    wijk = models.CharField(max_length=12, default="")
    neighbourhood = models.CharField(max_length=10)
    latitude = models.FloatField()
    longitude = models.FloatField()
    cost_regular = models.DecimalField(max_digits=8, decimal_places=2, null=True)  # null: price unknown
    cost_uitpas = models.DecimalField(max_digits=8, decimal_places=2, null=True)  # null: price unknown
    cost_social = models.DecimalField(max_digits=8, decimal_places=2, null=True)  # null: price unknown
    cost_all = models.DecimalField(max_digits=8, decimal_places=2, null=True)  # null: price unknown
    price_unit = models.CharField(max_length=20, default="session")
    is_free = models.BooleanField()
    age_min = models.PositiveSmallIntegerField()
    age_max = models.PositiveSmallIntegerField()
    dutch_level = models.PositiveSmallIntegerField()
    end_date = models.DateField(null=True)
    last_confirmed = models.DateField()
    published_at = models.DateTimeField(null=True)
    terms = models.TextField()

    def __str__(self) -> str:
        return self.document.get("title", str(self.offer_id))


class RemovedDocument(models.Model):
    """An offer taken out of the index, kept so processes holding the index in memory drop it too."""

    offer_id = models.BigIntegerField(primary_key=True)
    generation = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.offer_id} removed at {self.generation}"


class IndexState(models.Model):
    """The one row that says which state of the index is committed.

    Every write to the index raises ``generation`` in its own transaction, and its rows carry
    that number, so a reader catches up with "everything after the generation I hold". A rebuild
    starts a new ``lineage``: readers holding an older one load the index again from scratch.
    """

    generation = models.BigIntegerField(default=0)
    lineage = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"{self.lineage} @ {self.generation}"
