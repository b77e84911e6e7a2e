"""When an offer next takes place, from its weekly time slots and its start and end dates."""

from datetime import date, time, timedelta


def next_session(
    schedule: list[dict], start_date: date | None, end_date: date | None, today: date
) -> tuple[date, time] | None:
    """The first slot on or after today (and after the start date), or None if none is left."""
    if not schedule:
        return None
    first_day = max(today, start_date) if start_date else today
    for offset in range(7):
        day = first_day + timedelta(days=offset)
        if end_date and day > end_date:
            return None
        starts = sorted(time.fromisoformat(slot["start"]) for slot in schedule if slot["weekday"] == day.weekday())
        if starts:
            return day, starts[0]
    return None
