"""What the notes of a call offer a summary: candidate quotes per validation point, the pains
with how the customer measures them, the solution requests with their root pains, follow-ups.

Everything here is read from the notes and offered; nothing is decided for the team.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from heard.interviews.models import Note, NoteKind
from heard.interviews.services import SolutionRequest, solution_requests

# The order candidates are offered in: the customer's own words first, then pains and how they
# measure them, then the rest. Follow-ups are the team's own to-dos, not what the customer
# said, so they are never offered as quotes.
CANDIDATE_KINDS = (
    NoteKind.QUOTE,
    NoteKind.PAIN,
    NoteKind.KPI,
    NoteKind.SOLUTION_REQUEST,
    NoteKind.COMPETITION,
    NoteKind.WHY,
    NoteKind.NOTE,
)

# A KPI note goes with the pain it measures: the latest pain noted on the same question before
# it (else the first one after it) or, failing that, the latest pain noted up to this long
# before it (the method's "how do you measure that?" comes right after the pain).
MEASURE_WINDOW_SECONDS = 10 * 60


@dataclass(frozen=True)
class Candidates:
    by_point: dict[int, list[Note]]
    """Validation point id → the notes taken on the questions that serve it, best first."""
    unlinked: list[Note]
    """Notes on no question, or on a question that serves no validation point."""
    every: list[Note]
    """Every note a quote may come from, best first: any of them may be quoted under any
    point, since a note is tied to the question on screen when it was typed, not always to
    the one it answers."""


def _best_first(notes: list[Note]) -> list[Note]:
    return sorted(notes, key=lambda note: CANDIDATE_KINDS.index(NoteKind(note.kind)))


def candidates(notes: Sequence[Note], point_ids: Collection[int]) -> Candidates:
    """Offer each note to the validation points its question serves, and each highlight of
    the transcript to the points it was marked with (see CANDIDATE_KINDS)."""
    by_point: dict[int, list[Note]] = {pk: [] for pk in point_ids}
    unlinked: list[Note] = []
    every = [note for note in notes if note.kind in CANDIDATE_KINDS]
    for note in every:
        served = [p.pk for p in note.question.points.all()] if note.question else []
        if note.is_highlight:
            served += [p.pk for p in note.points.all() if p.pk not in served]
        served = [pk for pk in served if pk in by_point]
        for pk in served:
            by_point[pk].append(note)
        if not served:
            unlinked.append(note)
    by_point = {pk: _best_first(offered) for pk, offered in by_point.items()}
    return Candidates(by_point, unlinked, _best_first(every))


def matching(notes: Sequence[Note], words: str) -> list[Note]:
    """The notes that hold every word of `words` (in their text or their kind), case aside."""
    wanted = words.casefold().split()
    return [
        note
        for note in notes
        if all(word in f"{note.text} {note.get_kind_display()}".casefold() for word in wanted)
    ]


@dataclass
class Pain:
    note: Note
    measures: list[Note] = field(default_factory=list)


@dataclass
class Digest:
    pains: list[Pain]
    loose_measures: list[Note]
    """KPI notes that no pain was noted with."""
    requests: list[SolutionRequest]
    follow_ups: list[Note]


def digest(notes: Sequence[Note], chosen: Mapping[str, str] | None = None) -> Digest:
    """The pains, requests and follow-ups of a call, from its notes in the order taken.

    `chosen`: the pain the team said a KPI measures (KPI note id → pain note id, or "" for
    none); any other KPI goes with the pain noted near it (`_pain_measured_by`)."""
    pains = [Pain(note) for note in notes if note.kind == NoteKind.PAIN]
    by_id = {str(pain.note.pk): pain for pain in pains}
    loose: list[Note] = []
    for kpi in (note for note in notes if note.kind == NoteKind.KPI):
        choice = (chosen or {}).get(str(kpi.pk))
        if choice is None or (choice and choice not in by_id):  # none, or its pain is gone
            pain = _pain_measured_by(kpi, pains)
        else:
            pain = by_id.get(choice)
        (pain.measures if pain else loose).append(kpi)
    requests = solution_requests(notes)
    follow_ups = [note for note in notes if note.kind == NoteKind.FOLLOW_UP]
    return Digest(pains, loose, requests, follow_ups)


def _pain_measured_by(kpi: Note, pains: list[Pain]) -> Pain | None:
    if kpi.question_id is not None:
        same = [pain for pain in pains if pain.note.question_id == kpi.question_id]
        # Noted before the KPI: by the call's clock, and by when it was saved within the same
        # second (a whole call's notes can share a second's stamp on a fast typist's screen).
        asked = [pain for pain in same if _taken(pain.note) <= _taken(kpi)]
        if asked:  # "how do you measure that?" follows the pain it asks about
            return max(asked, key=lambda pain: _taken(pain.note))
        if same:
            return min(same, key=lambda pain: _taken(pain.note))
    before = [
        pain
        for pain in pains
        if _taken(pain.note) <= _taken(kpi)
        and kpi.elapsed_seconds - pain.note.elapsed_seconds <= MEASURE_WINDOW_SECONDS
    ]
    return max(before, key=lambda pain: _taken(pain.note)) if before else None


def _taken(note: Note) -> tuple[int, datetime]:
    """When a note was taken: its second into the call, then when it was saved."""
    return (note.elapsed_seconds, note.created_at)


def _item(text: str, *details: str) -> str:
    lines = [f"- {_indented(text)}", *(f"  {_indented(detail)}" for detail in details)]
    return "\n".join(lines)


def _indented(text: str) -> str:
    return text.strip().replace("\n", "\n  ")


def prefill(found: Digest) -> dict[str, str]:
    """The summary's texts as the notes have them, for the team to edit into its own words."""
    pains = [
        _item(pain.note.text, *(f"Measured by: {kpi.text}" for kpi in pain.measures))
        for pain in found.pains
    ]
    pains += [
        _item(f"Measure, with no pain noted beside it: {kpi.text}") for kpi in found.loose_measures
    ]
    requests = [
        _item(
            request.note.text,
            f"Root pain: {request.root_pain.text}"
            if request.root_pain
            else "Root pain: not reached (no why-ladder ended on a pain).",
        )
        for request in found.requests
    ]
    return {
        "main_pains": "\n".join(pains),
        "solution_requests": "\n".join(requests),
        "follow_ups": "\n".join(_item(note.text) for note in found.follow_ups),
    }
