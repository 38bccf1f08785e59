"""Who each speaker label of an interview's transcripts is: a team member, the participant or
someone else, said once per interview and used on every page and in every export.

Until someone says, Heard suggests (never saves) an answer for each label:
1. a label that is a team member's or the participant's name, or first name (ignoring case
   and spacing: "olivia  chen", "Olivia"), is them;
2. the two channels of a two-track call ("Channel 1", "Channel 2") are the lead interviewer
   and the participant: call recorders put the side that records first;
3. whoever speaks first, if still unsuggested, is the lead interviewer, who opens the call
   with the intros.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.models import (
    Interview,
    SpeakerRole,
    TeamMember,
    TranscriptSpeaker,
    interviewers_of,
)
from heard.interviews.signals import changed as evidence_changed

UNKNOWN = ""
PARTICIPANT = "participant"
OTHER = "other"
NO_LONGER = "someone no longer in Heard"
TWO_TRACKS = ("Channel 1", "Channel 2")


@dataclass(frozen=True)
class Choice:
    """One answer to "who is this": its form value ("user:12", "participant", "other")."""

    value: str
    label: str


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def team_of(interview: Interview) -> list[TeamMember]:
    return list(interview.team.select_related("user"))


def choices_for(interview: Interview, team: Sequence[TeamMember]) -> list[Choice]:
    """The people a label may be: the team's members in Heard, the participant, someone else."""
    people = [Choice(UNKNOWN, "Not said yet")]
    people += [
        Choice(f"user:{member.user_id}", f"{member.display_name} (team)")
        for member in team
        if member.user_id
    ]
    people.append(Choice(PARTICIPANT, f"{interview.participant.name} (participant)"))
    people.append(Choice(OTHER, "Someone else"))
    return people


def value_of(speaker: TranscriptSpeaker) -> str:
    if speaker.role == SpeakerRole.TEAM and speaker.user_id:
        return f"user:{speaker.user_id}"
    if speaker.role == SpeakerRole.PARTICIPANT:
        return PARTICIPANT
    if speaker.role == SpeakerRole.OTHER:
        return OTHER
    return UNKNOWN


def name_of(speaker: TranscriptSpeaker, interview: Interview) -> str:
    """The name a speaker goes by on pages and in exports: who they were mapped to, else the
    label the transcript gave."""
    if speaker.role == SpeakerRole.TEAM:
        user: User | None = speaker.user
        return user.name if user is not None and user.name else speaker.label
    if speaker.role == SpeakerRole.PARTICIPANT:
        return interview.participant.name
    if speaker.role == SpeakerRole.OTHER and speaker.name:
        return speaker.name
    return speaker.label


def names_for(interview: Interview, speakers: Iterable[TranscriptSpeaker]) -> dict[int, str]:
    return {speaker.pk: name_of(speaker, interview) for speaker in speakers}


def suggest(
    interview: Interview, labels: Sequence[str], team: Sequence[TeamMember]
) -> dict[str, str]:
    """A suggested form value for each label (in the order they first speak)."""
    by_name: dict[str, str] = {}
    people = [(m.user.name, f"user:{m.user_id}") for m in team if m.user is not None]
    people.append((interview.participant.name, PARTICIPANT))
    for name, value in people:  # full names first, so a first name never hides one
        by_name.setdefault(_key(name), value)
    for name, value in people:
        first = name.split()[0] if name.split() else ""
        by_name.setdefault(_key(first), value)
    suggested = {label: by_name[_key(label)] for label in labels if _key(label) in by_name}
    leads = [m for m in interviewers_of(team) if m.user_id] or [m for m in team if m.user_id]
    lead = f"user:{leads[0].user_id}" if leads else ""
    if tuple(sorted(label for label in labels if label.startswith("Channel "))) == TWO_TRACKS:
        if lead and lead not in suggested.values():
            suggested.setdefault("Channel 1", lead)
        if PARTICIPANT not in suggested.values():
            suggested.setdefault("Channel 2", PARTICIPANT)
    if labels and lead and lead not in suggested.values():
        suggested.setdefault(labels[0], lead)
    return suggested


@transaction.atomic
def save_mapping(
    interview: Interview,
    answers: dict[int, tuple[str, str]],
    team: Sequence[TeamMember],
    by: User,
) -> int:
    """Save who each speaker is (`answers`: speaker id → (form value, name for someone
    else)); returns how many changed. Values that name no one of the interview are ignored."""
    users = {f"user:{m.user_id}": m.user_id for m in team if m.user_id}
    changed = 0
    now = timezone.now()
    for speaker in TranscriptSpeaker.objects.filter(interview=interview, pk__in=answers):
        value, name = answers[speaker.pk]
        role, user_id, other = SpeakerRole.UNKNOWN, None, ""
        if value in users:
            role, user_id = SpeakerRole.TEAM, users[value]
        elif value == PARTICIPANT:
            role = SpeakerRole.PARTICIPANT
        elif value == OTHER:
            role, other = SpeakerRole.OTHER, " ".join(name.split())[:150]
        if (speaker.role, speaker.user_id, speaker.name) == (role, user_id, other):
            continue
        speaker.role, speaker.user_id, speaker.name = role, user_id, other
        speaker.mapped_by, speaker.mapped_at = by, now
        speaker.save(update_fields=["role", "user", "name", "mapped_by", "mapped_at"])
        changed += 1
    if changed:
        evidence_changed(interview.pk)
    return changed
