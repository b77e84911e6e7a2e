"""The pieces of an OpenActive opportunity that need no database: regions, durations, local times."""

from datetime import date, time

import pytest

from catalogue.openactive import THEME_ACTIVITIES, iso_duration, local_datetime, province


@pytest.mark.parametrize(
    ("postal_code", "region"),
    [
        ("2060", "Antwerpen"),
        ("1000", "Brussels Hoofdstedelijk Gewest"),
        ("3000", "Vlaams-Brabant"),
        ("9000", "Oost-Vlaanderen"),
    ],
)
def test_a_belgian_postal_code_names_its_province(postal_code, region):
    """addressRegion: the province (or Brussels) follows from bpost's numbering."""
    assert province(postal_code) == region


@pytest.mark.parametrize("postal_code", ["", "206", "20600", "abcd", "0999"])
def test_what_is_no_belgian_postal_code_has_no_region(postal_code):
    """Unknown is left out: no region is guessed for what is not a Belgian postal code."""
    assert province(postal_code) is None


def test_a_session_lasts_as_an_iso_8601_duration():
    """Durations: whole hours, minutes, both; nothing for an end that is not after the start."""
    assert iso_duration(time(14), time(16)) == "PT2H"
    assert iso_duration(time(14), time(15, 30)) == "PT1H30M"
    assert iso_duration(time(14, 15), time(14, 45)) == "PT30M"
    assert iso_duration(time(14), time(14)) is None


def test_a_local_time_carries_the_brussels_offset_of_that_day():
    """Date-times: summer time is +02:00, winter time +01:00."""
    assert local_datetime(date(2026, 9, 2), time(14)) == "2026-09-02T14:00:00+02:00"
    assert local_datetime(date(2026, 12, 2), time(9, 30)) == "2026-12-02T09:30:00+01:00"


def test_every_activity_is_a_concept_id_of_the_openactive_list():
    """Activities: each mapped theme names a uuid fragment and a label, never the same concept twice."""
    fragments = [fragment for fragment, _label in THEME_ACTIVITIES.values()]
    assert len(set(fragments)) == len(fragments)
    assert all(len(fragment) == 36 and fragment.count("-") == 4 for fragment in fragments)
