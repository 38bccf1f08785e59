"""Keeping the index in step with what it indexes, in the same transaction as each write (a
note saved on the live call's API: just after it, in batches, `backlog`).

A change to one thing makes its entries again (`refresh`: delete them, read the thing as it
now stands, insert what it gives): a note, a quote, a summary, a finding, a decision, a
participant, a question. A change the call's stage announces for a whole interview
(`interviews.signals.evidence_changed`: a transcript ready, edited, mapped, replaced or
deleted; highlights; the end of the call) makes every entry of the interview again. Deleting
a workspace, study, interview, participant or transcript deletes their entries with them
(the foreign keys of `Entry`). A participant import, which writes in bulk, is indexed when it
finishes. `rebuild` makes everything again (`heard manage search_index`). The signals that
tell of each change reach these functions through `receivers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q

from heard.accounts.models import Workspace
from heard.guides.models import Question
from heard.interviews.models import Interview
from heard.participants.models import Participant
from heard.search import sources
from heard.search.engines import engine
from heard.search.models import OF_INTERVIEW, Entry, Kind
from heard.synthesis.models import Quote, Summary

# Entries are inserted this many at a time.
INSERT_BATCH = 500


def _insert(entries: Iterable[Entry]) -> int:
    batch: list[Entry] = []
    count = 0
    for entry in entries:
        if not entry.scope:  # an interview's entries have theirs, with the speaker's role
            entry.set_scope()
        batch.append(entry)
        if len(batch) >= INSERT_BATCH:
            Entry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        Entry.objects.bulk_create(batch)
        count += len(batch)
    return count


def _replace(old: Q, new: Iterable[Entry]) -> int:
    with transaction.atomic():
        Entry.objects.filter(old).delete()
        return _insert(new)


# An interview's entries made again in this number or more (a transcript) ask for the index
# to be put in order afterwards, in the background.
TIDY_AFTER = 200


def interviews(ids: Iterable[int]) -> int:
    """Make every entry of these interviews again."""
    wanted = list(ids)
    made = _replace(
        Q(interview_id__in=wanted, kind__in=OF_INTERVIEW), sources.of_interviews(wanted)
    )
    if made >= TIDY_AFTER:
        transaction.on_commit(_tidy_later)
    return made


def _tidy_later() -> None:
    from heard.search.tasks import tidy

    tidy.enqueue()


def note(pk: Any, interview_id: int) -> None:
    """Make a note's (or a highlight's) entry again; `pk`, its UUID."""
    notes([(pk, interview_id)], quoted=False)


def notes(pairs: Iterable[tuple[Any, int]], *, quoted: bool = True) -> None:
    """Make the entries of these notes again, (note id, interview id) pairs, in one go, and
    those of their quotes (which take the note's kind as their tag: `kind:pain` finds them)
    unless `quoted` is False."""
    by_pk = {str(pk): interview_id for pk, interview_id in pairs}
    if not by_pk:
        return
    with transaction.atomic():
        _replace(
            Q(kind__in=(Kind.NOTE, Kind.HIGHLIGHT), object_id__in=list(by_pk)),
            sources.notes(sources.Context(set(by_pk.values())), Q(pk__in=list(by_pk))),
        )
        if quoted:
            for pk in Quote.objects.filter(note_id__in=list(by_pk)).values_list("pk", flat=True):
                quote(pk)


def quote(pk: int) -> None:
    interview_id = (
        Quote.objects.filter(pk=pk)
        .values_list("point_summary__summary__interview_id", flat=True)
        .first()
    )
    new = (
        sources.quotes(sources.Context([interview_id]), Q(pk=pk))
        if interview_id is not None
        else ()
    )
    _replace(Q(kind=Kind.QUOTE, object_id=str(pk)), new)


def summary(pk: int) -> None:
    interview_id = Summary.objects.filter(pk=pk).values_list("interview_id", flat=True).first()
    new = (
        sources.summaries(sources.Context([interview_id]), [interview_id])
        if interview_id is not None
        else ()
    )
    _replace(Q(kind=Kind.SUMMARY, object_id=str(pk)), new)


def finding(pk: int) -> None:
    _replace(Q(kind=Kind.FINDING, object_id=str(pk)), sources.findings(Q(pk=pk)))


def decision(pk: int) -> None:
    _replace(Q(kind=Kind.DECISION, object_id=str(pk)), sources.decisions(Q(pk=pk)))


def participants(where: Q) -> int:
    ids = list(Participant.objects.filter(where).values_list("pk", flat=True))
    return _replace(
        Q(kind=Kind.PARTICIPANT, object_id__in=[str(pk) for pk in ids]),
        sources.participants(Q(pk__in=ids)),
    )


def questions(where: Q) -> int:
    ids = list(Question.objects.filter(where).values_list("pk", flat=True))
    return _replace(
        Q(kind=Kind.QUESTION, object_id__in=[str(pk) for pk in ids]),
        sources.questions(Q(pk__in=ids)),
    )


def rebuild(workspace: Workspace | None = None) -> int:
    """Make every entry again, of one workspace or of all, in one transaction (searches meanwhile
    see the old index); answers how many there are."""
    with transaction.atomic():
        Entry.objects.filter(Q() if workspace is None else Q(workspace=workspace)).delete()
        made = _insert(expected(workspace))
        engine().tidy(whole=True)
        return made


FINGERPRINT = (
    "workspace_id", "kind", "object_id", "part", "tag", "study_id", "interview_id",
    "participant_id", "transcript_id", "speaker_id", "points", "language", "text", "scope",
)  # fmt: skip


def _fingerprint(entries: Iterable[Entry], *, made: bool = False) -> set[tuple[Any, ...]]:
    """What matters of each entry; `made`: entries just made, whose scope is set as on insert."""
    found = set()
    for entry in entries:
        if made and not entry.scope:
            entry.set_scope()
        found.add(tuple(getattr(entry, name) for name in FINGERPRINT))
    return found


def expected(workspace: Workspace | None = None) -> Iterator[Entry]:
    """Every entry the index should hold, as `rebuild` would make them."""
    interview_ids = Interview.objects.all()
    if workspace is not None:
        interview_ids = interview_ids.filter(study__workspace=workspace)
    ids = list(interview_ids.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 50):
        yield from sources.of_interviews(ids[start : start + 50])
    study = Q() if workspace is None else Q(study__workspace=workspace)
    yield from sources.findings(study)
    yield from sources.decisions(study)
    yield from sources.participants(Q() if workspace is None else Q(workspace=workspace))
    yield from sources.questions(
        Q() if workspace is None else Q(section__guide__study__workspace=workspace)
    )


def differences(workspace: Workspace | None = None) -> int:
    """How many entries differ between the index and what it should hold (0: in step)."""
    held = Entry.objects.all() if workspace is None else Entry.objects.filter(workspace=workspace)
    have = _fingerprint(held.iterator(2000))
    want = _fingerprint(expected(workspace), made=True)
    return len(have ^ want)


def unindexed() -> list[Workspace]:
    """The workspaces with something to find (a participant or a study) and no entry yet."""
    found = []
    for workspace in Workspace.objects.order_by("pk"):
        if Entry.objects.filter(workspace=workspace).exists():
            continue
        if workspace.participants.exists() or workspace.studies.exists():
            found.append(workspace)
    return found


def fill_missing() -> int:
    """Index each workspace that has something to find and no index yet, one at a time, each
    under a lock on its row (two workers starting at once index it once); answers how many
    entries were made."""
    made = 0
    for workspace in unindexed():
        with transaction.atomic():
            locked = Workspace.objects.select_for_update().get(pk=workspace.pk)
            if not Entry.objects.filter(workspace=locked).exists():
                made += rebuild(locked)
    return made
