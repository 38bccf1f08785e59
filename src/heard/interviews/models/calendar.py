"""A person's calendar feed: the secret address their calendar app subscribes to
(`interviews/calendar/`).

Only the SHA-256 of the secret is kept, and the first characters of it, which tell a person
which address is the live one without being enough to use it. One live address per person:
a new one takes the place of the old, and stopping it deletes the row, so an address that
was stopped or replaced finds nothing.
"""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User

# How much of the secret the page shows again (about 36 of its 256 bits).
HINT_LENGTH = 6


class CalendarFeed(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=HINT_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once a minute (`calendar.services.note_fetched`): calendar apps poll.
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
