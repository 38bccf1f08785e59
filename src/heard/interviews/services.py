"""Interview rules beside scheduling and the lists: the team and its intro order, the prep
checklist and its ticks, and what the call left (its kept notes, the solution requests with
their why-ladders, the names of its downloads)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from heard.accounts.models import User
from heard.core.downloads import name_part
from heard.interviews.checklists import CHECKLISTS
from heard.interviews.models import (
    ChecklistItem,
    Interview,
    Mode,
    Note,
    NoteKind,
    TeamMember,
    TeamRole,
    interviewers_of,
)
from heard.participants.pseudonyms import Pseudonyms

# ---------------------------------------------------------------- team


def intro_order(interview: Interview) -> list[TeamMember]:
    """The team in the order they introduce themselves: most senior first."""
    return list(interview.team.select_related("user").order_by("seniority", "id"))


def next_seniority(interview: Interview) -> int:
    top = interview.team.aggregate(top=Max("seniority"))["top"]
    return 1 if top is None else top + 1


def add_team_member(interview: Interview, member: TeamMember) -> TeamMember:
    member.interview = interview
    member.save()
    return member


def team_warnings(team: list[TeamMember]) -> list[str]:
    """What the method would point out about this team. Advice, never a refusal."""
    interviewers = [m.display_name for m in interviewers_of(team)]
    warnings = []
    if not interviewers:
        warnings.append("Nobody is the interviewer yet: add who leads the conversation.")
    elif len(interviewers) > 1:
        warnings.append(
            f"{len(interviewers)} people are set as interviewer ({', '.join(interviewers)}). "
            "One person should lead the conversation; the others can be notetaker or guests."
        )
    if team and not any(m.role == TeamRole.NOTETAKER for m in team):
        warnings.append(
            "No notetaker yet. With a wingman taking notes, the interviewer keeps eye contact "
            "and nobody re-watches the recording later."
        )
    by_seniority: dict[int, list[str]] = {}
    for member in team:
        by_seniority.setdefault(member.seniority, []).append(member.display_name)
    for seniority, names in sorted(by_seniority.items()):
        if len(names) > 1:
            warnings.append(
                f"{' and '.join(names)} share seniority {seniority}, so their intro order is "
                "only the order they were added. Give the more senior one the lower number."
            )
    return warnings


# ---------------------------------------------------------------- checklist


def checklist_for(mode: str) -> list[str]:
    """The prep steps for a video call, an in-person meeting or a phone call."""
    return list(CHECKLISTS[Mode(mode)])


@transaction.atomic
def apply_checklist(interview: Interview) -> None:
    """Make the checklist match the interview's mode, keeping the ticks of unchanged steps."""
    texts = checklist_for(interview.mode)
    existing = {item.text: item for item in interview.checklist.select_for_update()}
    ChecklistItem.objects.filter(interview=interview).exclude(text__in=texts).delete()
    moved = []
    for position, text in enumerate(texts):
        item = existing.get(text)
        if item is None:
            ChecklistItem.objects.create(interview=interview, text=text, position=position)
        elif item.position != position:
            item.position = position
            moved.append(item)
    ChecklistItem.objects.bulk_update(moved, ["position"])


def set_done(item: ChecklistItem, user: User, done: bool) -> ChecklistItem:
    """Tick or untick a step, recording who ticked it and when. Ticking twice changes nothing."""
    if done and not item.done:
        item.done_at, item.done_by = timezone.now(), user
    elif not done:
        item.done_at, item.done_by = None, None
    item.save(update_fields=["done_at", "done_by"])
    return item


@dataclass(frozen=True)
class Readiness:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def readiness(items: list[ChecklistItem]) -> Readiness:
    return Readiness(done=sum(1 for item in items if item.done), total=len(items))


# ---------------------------------------------------------------- after the call


def kept_notes(interview: Interview) -> QuerySet[Note]:
    """The notes of the call that were not deleted, in the order they were taken, each with
    its question and the validation points that question serves; with the highlights of its
    transcripts (`Note.source`), each with its points, transcript and speaker."""
    return (
        interview.notes.filter(deleted_at__isnull=True)
        .select_related("author", "question", "transcript", "speaker", "speaker__user")
        .prefetch_related("question__points", "points")
        .order_by("elapsed_seconds", "created_at")
    )


def file_name(
    interview: Interview, prefix: str, extension: str, hide: Pseudonyms | None = None
) -> str:
    """interview-2027-01-15-zoë-łukasiewicz.ics: the participant's name (their pseudonym,
    with `hide` on) as a slug that keeps its letters, whatever the script (downloads send an
    ASCII name beside it)."""
    person = interview.participant
    name = name_part(hide.name(person) if hide is not None else person.name)
    day = f"{interview.local_start:%Y-%m-%d}"
    return f"{prefix}-{day}-{name}.{extension}" if name else f"{prefix}-{day}.{extension}"


@dataclass(frozen=True)
class SolutionRequest:
    """A solution the customer asked for, the whys noted under it, and the pain it came to."""

    note: Note
    whys: list[Note]
    root_pain: Note | None


def solution_requests(notes: Sequence[Note]) -> list[SolutionRequest]:
    """Each solution request among `notes` (taken in order) with its why-ladder: the whys
    and the root pain that ended it (the latest one, as the live screen shows)."""
    ladders: dict[object, list[Note]] = defaultdict(list)
    for note in notes:
        if note.ladder_of_id:
            ladders[note.ladder_of_id].append(note)
    found = []
    for note in notes:
        if note.kind == NoteKind.SOLUTION_REQUEST:
            steps = ladders[note.pk]
            roots = [step for step in steps if step.kind == NoteKind.PAIN]
            whys = [step for step in steps if step.kind == NoteKind.WHY]
            found.append(SolutionRequest(note, whys, roots[-1] if roots else None))
    return found
