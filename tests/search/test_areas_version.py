"""The areas version a process holds (catalogue.models.areas_version): read at most every AREAS_VERSION_SECONDS,
at once again after this process changes an area, and always inside a transaction.

Here beside the search tests because the scale bench (bench/networks_scale.py) measures the lookup it serves.
"""

from django.db import transaction
from django.test import override_settings

import pytest

from catalogue.models import Area, AreaLevel, areas_changed, areas_version

SQUARE = {"type": "Polygon", "coordinates": [[[4.0, 51.0], [4.1, 51.0], [4.1, 51.1], [4.0, 51.1], [4.0, 51.0]]]}


def _area(code: str) -> Area:
    return Area.objects.create(
        level=AreaLevel.MUNICIPALITY,
        code=code,
        name=f"Gemeente {code}",
        geometry=SQUARE,
        centroid_latitude=51.05,
        centroid_longitude=4.05,
    )


@pytest.fixture
def held_for_a_minute():
    areas_changed()
    with override_settings(AREAS_VERSION_SECONDS=60):
        yield
    areas_changed()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_version_is_read_once_while_it_is_trusted(held_for_a_minute, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = areas_version()
    with django_assert_num_queries(0):
        assert areas_version() == first


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_area_saved_or_deleted_in_this_process_is_seen_at_once(held_for_a_minute):
    before = areas_version()
    area = _area("99001")
    saved = areas_version()
    assert saved != before
    area.delete()
    assert areas_version() == before  # read again, not the version held since the save


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_the_version_is_read_every_time_and_not_kept(held_for_a_minute, django_assert_num_queries):
    committed = areas_version()
    with transaction.atomic():
        _area("99002")
        with django_assert_num_queries(2):
            inside = areas_version()
            assert areas_version() == inside
        assert inside != committed
        transaction.set_rollback(True)
    assert areas_version() == committed
