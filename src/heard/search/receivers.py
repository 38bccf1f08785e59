"""What each change asks of the index: the receivers of the signals that tell of a change
(`post_save`, `post_delete`, `m2m_changed`, `interviews.signals.evidence_changed`, the worker
starting), each calling the part of `keeping` that makes the changed thing's entries again.
`connect` is called once, as the app is ready."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from heard.core.hot_path import on_hot_path
from heard.guides.models import Guide, Question, Section
from heard.interviews import signals as interview_signals
from heard.interviews.models import Interview, Note
from heard.participants.models import Participant, ParticipantImport, ResearchNote
from heard.search.backlog import backlog
from heard.search.keeping import (
    decision,
    finding,
    interviews,
    note,
    notes,
    participants,
    questions,
    quote,
    summary,
    unindexed,
)
from heard.search.models import Entry, Kind
from heard.synthesis.models import Decision, Finding, PointSummary, Quote, Summary


def _on_worker_starting(**_: Any) -> None:
    if unindexed():
        from heard.search.tasks import fill_missing as task

        task.enqueue()


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
