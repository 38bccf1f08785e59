"""What the scheduling form takes."""

from __future__ import annotations

from typing import Any

from heard.participants.models import Participant
from heard.studies.models import Study


def schedule_data(study: Study, participant: Participant, **overrides: Any) -> dict[str, Any]:
    """A valid schedule form: a video call on 15 January 2027 at 10:00 in Berlin."""
    data = {
        "study": study.pk,
        "participant": participant.pk,
        "guide": "",
        "day": "2027-01-15",
        "start_time": "10:00",
        "time_zone": "Europe/Berlin",
        "length_minutes": "",
        "mode": "video",
        "location": "https://meet.example.com/abc",
    }
    return data | overrides
