"""Keeping the index in step with what it indexes, in the same transaction as each write (a
note saved on the live call's API: just after it, in batches, `backlog`).

A change to one thing makes its entries again (`refresh`: delete them, read the thing as it
now stands, insert what it gives): a note, a quote, a summary, a finding, a decision, a
participant, a question. A change the call's stage announces for a whole interview
(`interviews.signals.evidence_changed`: a transcript ready, edited, mapped, replaced or
deleted; highlights; the end of the call) makes every entry of the interview again. Deleting
a workspace, study, interview, participant or transcript deletes their entries with them
(the foreign keys of `Entry`). A participant import, which writes in bulk, is indexed when it
finishes. `rebuild` makes everything again (`heard manage search_index`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from heard.accounts.models import Workspace
from heard.core.hot_path import on_hot_path
from heard.guides.models import Guide, Question, Section
from heard.interviews import signals as interview_signals
from heard.interviews.models import Interview, Note
from heard.participants.models import Participant, ParticipantImport, ResearchNote
from heard.search import sources
from heard.search.backlog import backlog
from heard.search.engines import engine
from heard.search.models import OF_INTERVIEW, Entry, Kind
from heard.synthesis.models import Decision, Finding, PointSummary, Quote, Summary

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


def _on_worker_starting(**_: Any) -> None:
    if unindexed():
        from heard.search.tasks import fill_missing as task

        task.enqueue()


# What each change asks for.


def _on_evidence(sender: Any, interview_id: int, **kwargs: Any) -> None:
    interviews([interview_id])


def _on_note(sender: Any, instance: Note, **kwargs: Any) -> None:
    if on_hot_path():
        backlog.add_after_commit(instance.pk, instance.interview_id)  # a live call's save
    else:
        notes([(instance.pk, instance.interview_id)])


def _on_note_points(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        note(instance.pk, instance.interview_id)
        return
    for row in Note.objects.filter(pk__in=pk_set or ()).values_list("pk", "interview_id"):
        note(*row)


def _on_quote(sender: Any, instance: Quote, **kwargs: Any) -> None:
    quote(instance.pk)


def _on_summary(sender: Any, instance: Summary, **kwargs: Any) -> None:
    summary(instance.pk)


def _on_cell(sender: Any, instance: PointSummary, **kwargs: Any) -> None:
    summary(instance.summary_id)


def _on_finding(sender: Any, instance: Finding, **kwargs: Any) -> None:
    finding(instance.pk)


def _on_finding_points(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    if action.startswith("post_"):
        for pk in pk_set or () if reverse else (instance.pk,):
            finding(pk)


def _on_decision(sender: Any, instance: Decision, **kwargs: Any) -> None:
    decision(instance.pk)


def _gone(*kinds: Kind) -> Any:
    """A receiver that deletes the entries of a thing deleted (of one of `kinds`)."""

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        Entry.objects.filter(kind__in=kinds, object_id=str(instance.pk)).delete()

    return receiver


def _on_participant(sender: Any, instance: Participant, **kwargs: Any) -> None:
    participants(Q(pk=instance.pk))


def _on_research(sender: Any, instance: ResearchNote, **kwargs: Any) -> None:
    participants(Q(pk=instance.participant_id))


def _on_research_gone(sender: Any, instance: ResearchNote, **kwargs: Any) -> None:
    # Only its own entry: the note may be going with its participant, whose entries are
    # already deleted, and must not be made again.
    Entry.objects.filter(
        kind=Kind.PARTICIPANT, object_id=str(instance.participant_id), part=f"note{instance.pk}"
    ).delete()


def _on_import(sender: Any, instance: ParticipantImport, **kwargs: Any) -> None:
    if instance.finished_at is not None:
        participants(Q(workspace_id=instance.workspace_id, updated_at__gte=instance.created_at))


def _on_question(sender: Any, instance: Question, **kwargs: Any) -> None:
    questions(Q(pk=instance.pk))


def _on_question_points(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    if action.startswith("post_"):
        ids = list(pk_set or ()) if reverse else [instance.pk]
        questions(Q(pk__in=ids))
        # The notes taken on them bear on the points they serve (`point:`).
        for row in Note.objects.filter(question_id__in=ids).values_list("pk", "interview_id"):
            note(*row)


def _on_section(sender: Any, instance: Section, **kwargs: Any) -> None:
    questions(Q(section=instance))


def _on_guide(sender: Any, instance: Guide, created: bool = False, **kwargs: Any) -> None:
    if not created:
        questions(Q(section__guide=instance))
        return
    # A new guide's questions (a copy, the built-in template) are written in bulk after it:
    # they are indexed once the guide is committed.
    pk = instance.pk
    transaction.on_commit(lambda: questions(Q(section__guide_id=pk)))


def _on_interview(sender: Any, instance: Interview, **kwargs: Any) -> None:
    """An interview moved in time (or, before it was held, to another study or participant):
    its entries follow (made again for another study, whose word their scope holds)."""
    entries = Entry.objects.filter(interview_id=instance.pk)
    if entries.exclude(study_id=instance.study_id).exists():
        interviews([instance.pk])
        return
    entries.exclude(participant_id=instance.participant_id, at=instance.starts_at).update(
        participant_id=instance.participant_id, at=instance.starts_at
    )


def connect() -> None:
    from heard.core.worker import worker_starting

    uid = "heard.search"
    worker_starting.connect(_on_worker_starting, dispatch_uid=f"{uid}.fill_missing")
    interview_signals.evidence_changed.connect(_on_evidence, dispatch_uid=f"{uid}.evidence")
    post_save.connect(_on_note, sender=Note, dispatch_uid=f"{uid}.note")
    post_delete.connect(
        _gone(Kind.NOTE, Kind.HIGHLIGHT), weak=False, sender=Note, dispatch_uid=f"{uid}.note_gone"
    )
    m2m_changed.connect(
        _on_note_points, sender=Note.points.through, dispatch_uid=f"{uid}.note_points"
    )
    post_save.connect(_on_quote, sender=Quote, dispatch_uid=f"{uid}.quote")
    post_delete.connect(
        _gone(Kind.QUOTE), weak=False, sender=Quote, dispatch_uid=f"{uid}.quote_gone"
    )
    post_save.connect(_on_summary, sender=Summary, dispatch_uid=f"{uid}.summary")
    post_save.connect(_on_cell, sender=PointSummary, dispatch_uid=f"{uid}.cell")
    post_save.connect(_on_finding, sender=Finding, dispatch_uid=f"{uid}.finding")
    post_delete.connect(
        _gone(Kind.FINDING), sender=Finding, dispatch_uid=f"{uid}.finding_gone", weak=False
    )
    m2m_changed.connect(
        _on_finding_points, sender=Finding.points.through, dispatch_uid=f"{uid}.finding_points"
    )
    post_save.connect(_on_decision, sender=Decision, dispatch_uid=f"{uid}.decision")
    post_delete.connect(
        _gone(Kind.DECISION), sender=Decision, dispatch_uid=f"{uid}.decision_gone", weak=False
    )
    post_save.connect(_on_participant, sender=Participant, dispatch_uid=f"{uid}.participant")
    post_save.connect(_on_research, sender=ResearchNote, dispatch_uid=f"{uid}.research")
    post_delete.connect(_on_research_gone, sender=ResearchNote, dispatch_uid=f"{uid}.research_gone")
    post_save.connect(_on_import, sender=ParticipantImport, dispatch_uid=f"{uid}.import")
    post_save.connect(_on_question, sender=Question, dispatch_uid=f"{uid}.question")
    post_delete.connect(
        _gone(Kind.QUESTION), sender=Question, dispatch_uid=f"{uid}.question_gone", weak=False
    )
    m2m_changed.connect(
        _on_question_points, sender=Question.points.through, dispatch_uid=f"{uid}.question_points"
    )
    post_save.connect(_on_section, sender=Section, dispatch_uid=f"{uid}.section")
    post_save.connect(_on_guide, sender=Guide, dispatch_uid=f"{uid}.guide")
    post_save.connect(_on_interview, sender=Interview, dispatch_uid=f"{uid}.interview")
