"""Aftercare: a mediator records how it is going in a short note and plans the next check, from the case page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from portal.workspace.models import StepKind, Trajectory, TrajectoryStep
from portal.workspace.trajectories import step_add, trajectory_start

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def trajectory(mediator_a, case_a) -> Trajectory:
    return trajectory_start(
        by=mediator_a, case=case_a, kind="long", goals="", main_threshold="social", started_on=timezone.localdate()
    )


@pytest.fixture
def check(mediator_a, trajectory) -> TrajectoryStep:
    return step_add(by=mediator_a, trajectory=trajectory, kind=StepKind.AFTERCARE, on=timezone.localdate(), done=False)


def test_an_aftercare_check_keeps_a_note_and_plans_the_next_date(client, mediator_a, case_a, check, login):
    """The case page offers the check's form; saving keeps the note, plans the next check and says so."""
    login(client, mediator_a)
    page = client.get(reverse("workspace:case_detail", args=[case_a.pk]), headers=EN).content.decode()
    assert "Record the aftercare check" in page and f'id="aftercare-{check.pk}-next"' in page
    next_on = timezone.localdate() + timedelta(days=60)
    data = {"note": "Gaat elke week, voelt zich thuis.", "next_on": next_on.isoformat()}
    response = client.post(reverse("workspace:step_done", args=[check.pk]), data, headers=EN, follow=True)
    check.refresh_from_db()
    assert check.done and check.note == "Gaat elke week, voelt zich thuis."
    planned = TrajectoryStep.objects.get(kind=StepKind.AFTERCARE, done=False)
    assert planned.on == next_on and planned.by == check.by
    assert response.redirect_chain[-1][0].endswith("#timeline-heading")
    assert "The next aftercare check is planned on" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": "Bel haar op 0470 12 34 56"}, "Leave out e-mail addresses"),
        ({"next_on": "2000-01-01"}, "The next aftercare check comes after this one."),
    ],
)
def test_a_bad_note_or_next_date_is_refused(client, mediator_a, case_a, check, login, data, message):
    """Error case: contact details in the note, or a next date before the check, are refused and nothing is saved."""
    login(client, mediator_a)
    response = client.post(reverse("workspace:step_done", args=[check.pk]), data, headers=EN, follow=True)
    check.refresh_from_db()
    assert message in response.content.decode()
    assert not check.done and TrajectoryStep.objects.count() == 1
