"""Participant rules that views and other apps call: the directory, profiles, research notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.core.queries import count_of, count_of_related
from heard.guides.models import ProfileField
from heard.participants.models import Participant, Recontact, ResearchNote
from heard.participants.profile import ProfileKey, merge_profile

PAGE_SIZE = 50
SEARCHED_FIELDS = ("name", "email", "company", "role", "segment")
MAX_SEARCH_WORDS = 8


class ParticipantInUse(Exception):
    """The participant has interviews, which keep them (and their words) in place."""

    def __init__(self, interview_count: int) -> None:
        self.interview_count = interview_count
        plural = "interview" if interview_count == 1 else "interviews"
        super().__init__(
            f"This participant has {interview_count} {plural}, so they stay in the directory. "
            "Delete or move those interviews first."
        )


class EmailInUse(Exception):
    """Another participant of the workspace has this email (checked by the unique index)."""


def profile_keys(workspace: Workspace) -> list[ProfileKey]:
    """Each distinct profile-field key the workspace's guides define, labelled by the first."""
    rows = (
        ProfileField.objects.filter(guide__study__workspace=workspace)
        .order_by("guide_id", "position", "id")
        .values_list("key", "label", "help_text")
    )
    keys: dict[str, ProfileKey] = {}
    for key, label, help_text in rows:
        keys.setdefault(key, ProfileKey(key, label, help_text))
    return list(keys.values())


def directory(
    workspace: Workspace,
    *,
    query: str = "",
    segment: str = "",
    fields: Sequence[str] = SEARCHED_FIELDS,
) -> QuerySet[Participant]:
    """The workspace's participants that match every word of `query`, in name order.

    Each word may appear in any of `fields` (the name, email, company, role or segment), in
    any case.
    """
    # No stored text holds a NUL (PostgreSQL refuses it, and forms too): one in a search
    # matches nothing, and PostgreSQL would refuse the query.
    query, segment = query.replace("\x00", ""), segment.replace("\x00", "")
    people = Participant.objects.filter(workspace=workspace, erased_at__isnull=True)
    for word in query.split()[:MAX_SEARCH_WORDS]:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        people = people.filter(match)
    if segment:
        people = people.filter(segment=segment)
    return people.order_by("name", "id")


def with_counts(people: QuerySet[Participant]) -> QuerySet[Participant]:
    return people.annotate(
        interview_count=count_of_related(Participant, "interviews"),
        note_count=count_of(ResearchNote, "participant"),
    )


def segments(workspace: Workspace) -> list[str]:
    """The segments in use, in order, for the filter and for suggestions on the form.

    Each is the first segment after the one before it, one step along
    `participant_segment_idx`: a DISTINCT would read every participant of the directory, 50,000
    rows for a handful of segments. Neither database skips along an index by itself.
    """
    table = Participant._meta.db_table
    steps = f"""
        WITH RECURSIVE found(segment) AS (
            SELECT MIN(segment) FROM {table} WHERE workspace_id = %s AND segment > ''
            UNION ALL
            SELECT (
                SELECT MIN(later.segment) FROM {table} later
                WHERE later.workspace_id = %s AND later.segment > found.segment
            )
            FROM found WHERE found.segment IS NOT NULL
        )
        SELECT segment FROM found WHERE segment IS NOT NULL
    """  # noqa: S608 - the table's name is the model's, every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(steps, [workspace.pk, workspace.pk])
        return [segment for (segment,) in cursor.fetchall()]


def email_in_use(workspace: Workspace, email: str, *, exclude_pk: int | None = None) -> bool:
    others = Participant.objects.filter(workspace=workspace, email__iexact=email.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def save_participant(
    workspace: Workspace,
    participant: Participant,
    keys: Sequence[ProfileKey],
    profile_values: Mapping[str, str],
) -> Participant:
    """Create or update, keeping profile values of keys that no guide defines any more."""
    participant.workspace = workspace
    participant.email = participant.email.strip()
    participant.profile = merge_profile(
        participant.profile or {}, [k.key for k in keys], profile_values
    )
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:  # the same email was added meanwhile, past the form's check
        raise EmailInUse from None
    return participant


def delete_participant(participant: Participant) -> None:
    count = participant.interviews.count()
    if count:
        raise ParticipantInUse(count)
    try:
        participant.delete()
    except models.ProtectedError:  # an interview was scheduled meanwhile
        raise ParticipantInUse(participant.interviews.count()) from None


def notes_of(participant: Participant) -> QuerySet[ResearchNote]:
    return participant.notes.select_related("author").order_by("-noted_on", "-id")


def add_note(participant: Participant, note: ResearchNote, author: User) -> ResearchNote:
    note.participant = participant
    note.author = author
    note.save()
    return note


def record_recontact(participant: Participant, answer: str) -> None:
    """Keep the customer's answer on being contacted again, and when it was given."""
    participant.recontact = Recontact(answer)
    participant.recontact_at = timezone.now() if answer else None
    participant.save(update_fields=["recontact", "recontact_at", "updated_at"])


def may_contact_again(participant: Participant) -> bool:
    """Whether a new round may invite them: not after a no, nor while they asked us to wait."""
    return participant.recontact not in (Recontact.NO, Recontact.NOT_YET)
