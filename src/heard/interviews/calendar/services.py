"""The calendar feed's rules: a person's address made, replaced and stopped, the feed an
address opens, the interviews it holds, and the SEQUENCE a renamed participant raises."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from heard.accounts.access import memberships
from heard.accounts.models import User
from heard.accounts.tokens import hash_token, new_token
from heard.core.queries import rows_of
from heard.interviews.models import CalendarFeed, Interview, TeamMember
from heard.interviews.models.calendar import HINT_LENGTH
from heard.participants.models import Participant

# The feed holds interviews from this many days ago onward: a subscribed calendar shows what
# the feed holds, so older calls leave it.
DAYS_BACK = 90
# A bound on one feed (about a third of a second to make at most): far more than a person's
# calls of three months and what is booked.
MAX_EVENTS = 500
# Calendar apps poll: the time of the last fetch is written at most this often.
FETCH_NOTED_EVERY = timedelta(minutes=1)
# Longer than any address Heard makes: anything longer is not looked up.
_TOKEN_MAX_LENGTH = 100


class FeedChanged(Exception):
    """The person's address changed after their page was shown: the form was sent twice (a
    reload), or from another tab. Nothing is made; the page says so."""


def live_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def new_feed(user: User, replacing: int | None) -> tuple[CalendarFeed, str]:
    """A new address for `user`, in place of the feed `replacing` (None: they had none), and
    its secret, which is not kept. The old address stops working at once."""
    with transaction.atomic():
        # One at a time per person: the lock makes a second request wait and then see the
        # feed the first one made.
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = CalendarFeed.objects.filter(user=user).values_list("pk", flat=True).first()
        if current != replacing:
            raise FeedChanged
        CalendarFeed.objects.filter(user=user).delete()
        token, token_hash = new_token()
        feed = CalendarFeed.objects.create(
            user=user, token_hash=token_hash, hint=token[:HINT_LENGTH]
        )
    return feed, token


def stop_feed(user: User) -> bool:
    """Stop `user`'s address; False if they had none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return deleted > 0


def feed_for(token: str) -> CalendarFeed | None:
    """The live feed of an address, with its person; None for an address stopped, replaced,
    of a deactivated account or never made."""
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )


def address(token: str) -> str:
    """The feed's address as a calendar app is given it."""
    return settings.HEARD_BASE_URL.rstrip("/") + reverse("calendar:feed", kwargs={"token": token})


def address_hint(feed: CalendarFeed) -> str:
    """The beginning of the live address, for the person to tell which one it is."""
    return address(feed.hint).removesuffix(".ics") + "…"


def note_fetched(feed: CalendarFeed, now: datetime) -> None:
    """Keep the time of the last fetch, writing at most once a minute."""
    if feed.last_fetched_at is not None and now - feed.last_fetched_at < FETCH_NOTED_EVERY:
        return
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    feed.last_fetched_at = now


def in_feed(user: User, now: datetime) -> QuerySet[Interview]:
    """The interviews `user`'s feed holds: those they are on the team of, in the workspaces
    they are still a member of, from `DAYS_BACK` days ago onward, cancelled ones included (a
    calendar removes those)."""
    return Interview.objects.filter(
        Exists(memberships(user, OuterRef("study__workspace"))),
        team__user=user,
        starts_at__gte=now - timedelta(days=DAYS_BACK),
    )


def _with_what_an_event_shows(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    team = TeamMember.objects.select_related("user").order_by("seniority", "id")
    return interviews.select_related(
        "study__workspace", "participant", "guide", "created_by"
    ).prefetch_related(Prefetch("team", queryset=team))


def feed_interviews(user: User, now: datetime) -> list[Interview]:
    """What the feed holds, soonest first, at most `MAX_EVENTS`, each with its study,
    participant, guide and team (in intro order): four queries however many. Past the cap,
    the interviews still to come are kept before the past ones, and the latest past ones
    before the earliest: a busy person's calendar keeps what is ahead of them."""
    held = in_feed(user, now)
    coming = held.filter(starts_at__gte=now).order_by("starts_at", "id")
    ids = list(coming.values_list("pk", flat=True)[:MAX_EVENTS])
    past = held.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    ids = list(past.values_list("pk", flat=True)[: MAX_EVENTS - len(ids)])[::-1] + ids
    return rows_of(Interview, ids, _with_what_an_event_shows)


def raise_sequence_on_rename(
    sender: type[Participant], instance: Participant, update_fields: Any = None, **kwargs: Any
) -> None:
    """An interview's event is titled with its participant's name and company
    (`invitation.summary`): renaming them raises the SEQUENCE and LAST-MODIFIED of their
    interviews, so that calendars take the new title as they take a new time (a `pre_save`
    receiver: in the same transaction as the rename)."""
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"name", "company"} & set(update_fields):
        return
    stored = Participant.objects.filter(pk=instance.pk).values_list("name", "company").first()
    if stored is None or stored == (instance.name, instance.company):
        return
    Interview.objects.filter(participant_id=instance.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
