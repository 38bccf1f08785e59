"""Guide rules that views and other apps call: creating, copying, and the time and coverage plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.text import slugify

from heard.core.archiving import shown_at
from heard.core.ordering import next_position
from heard.guides import template
from heard.guides.models import Guide, ProfileField, Question, QuestionPriority, Section
from heard.studies.models import Study, ValidationPoint
from heard.studies.services import touch as touch_study


class StartFrom(StrEnum):
    TEMPLATE = "template"
    BLANK = "blank"


def create_guide(
    study: Study, start_from: StartFrom = StartFrom.TEMPLATE, **fields: object
) -> Guide:
    """A new guide for `study`, filled from the starter template or left blank."""
    with transaction.atomic():
        guide = Guide(study=study, **fields)
        guide.full_clean()
        guide.save()
        if start_from is StartFrom.TEMPLATE:
            template.build_starter(guide)
    touch_study(study)
    return guide


def create_from_template(study: Study, **fields: object) -> Guide:
    return create_guide(study, StartFrom.TEMPLATE, **fields)


def create_drafted_guide(
    study: Study, sections: Sequence[template.StarterSection], **fields: object
) -> Guide:
    """A new guide for `study` with the sections, questions and point links drafted for it
    (a follow-up round drafts one from what a review left disputed)."""
    with transaction.atomic():
        guide = create_guide(study, StartFrom.BLANK, **fields)
        template.build_sections(guide, sections)
    return guide


def touch(guide: Guide) -> None:
    """Mark the guide and its study as changed."""
    Guide.objects.filter(pk=guide.pk).update(updated_at=timezone.now())
    touch_study(guide.study)


# Copying


def copy_sources(study: Study) -> QuerySet[Guide]:
    """Guides a new one for `study` may be copied from: any guide of the study's workspace."""
    return (
        Guide.objects.filter(study__workspace_id=study.workspace_id)
        .select_related("study")
        .annotate(
            # What a copy takes: the questions the guide asks now (`copy_guide`).
            question_count=Count(
                "sections__questions",
                filter=Q(
                    sections__archived_at__isnull=True,
                    sections__questions__archived_at__isnull=True,
                ),
            )
        )
        .order_by("study__title", "study_id", "title", "id")
    )


@dataclass(frozen=True)
class CopyResult:
    guide: Guide
    dropped_links: int
    """Links to validation points left behind because they belong to another study."""


def copy_guide(source: Guide, study: Study, title: str = "") -> CopyResult:
    """Deep-copy `source` (profile fields, sections, questions) into a new guide of `study`.

    Validation points belong to a study, so the links are kept only within the same study.
    """
    if source.study.workspace_id != study.workspace_id:
        raise ValueError("A guide is copied only within its workspace.")
    same_study = source.study_id == study.pk
    # What the guide asks now: archived parts stay with the interviews that used them.
    sections = list(
        source.sections.current().prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.current().prefetch_related(
                    Prefetch("points", queryset=ValidationPoint.objects.current())
                ),
            )
        )
    )
    dropped = 0
    with transaction.atomic():
        guide = Guide.objects.create(
            study=study,
            title=title or source.title,
            interview_minutes=source.interview_minutes,
            team_reserve_minutes=source.team_reserve_minutes,
            customer_reserve_minutes=source.customer_reserve_minutes,
        )
        ProfileField.objects.bulk_create(
            ProfileField(
                guide=guide,
                label=f.label,
                key=f.key,
                help_text=f.help_text,
                position=f.position,
            )
            for f in source.profile_fields.all()
        )
        copies = Section.objects.bulk_create(
            Section(guide=guide, title=s.title, purpose=s.purpose, position=s.position)
            for s in sections
        )
        pairs: list[tuple[Question, Question]] = []
        for old_section, new_section in zip(sections, copies, strict=True):
            for q in old_section.questions.all():
                copy = Question(
                    section=new_section,
                    text=q.text,
                    priority=q.priority,
                    minutes=q.minutes,
                    follow_ups=q.follow_ups,
                    answered_by=q.answered_by,
                    position=q.position,
                )
                pairs.append((q, copy))
        Question.objects.bulk_create(copy for _, copy in pairs)
        links = []
        for old, new in pairs:
            points = list(old.points.all())
            if same_study:
                links += [Question.points.through(question=new, validationpoint=p) for p in points]
            else:
                dropped += len(points)
        Question.points.through.objects.bulk_create(links)
    touch_study(study)
    return CopyResult(guide=guide, dropped_links=dropped)


# Parts of a guide


def add_section(guide: Guide, section: Section) -> Section:
    section.guide = guide
    section.position = next_position(guide.sections.all())
    section.save()
    touch(guide)
    return section


def save_question(
    guide: Guide, question: Question, previous_section_id: int | None = None
) -> Question:
    """Save a question of `guide` (not its validation points).

    A new question, or one moved to another section, goes to the end of its section.
    """
    if question.pk is None or question.section_id != previous_section_id:
        question.position = next_position(question.section.questions.exclude(pk=question.pk))
    question.save()
    touch(guide)
    return question


def unique_key(guide: Guide, label: str) -> str:
    """A key for a profile field, from its label, unique within the guide.

    Participants keep their profile values under this key, so it never changes once set.
    """
    base = slugify(label).replace("-", "_")[:50] or "field"
    taken = set(guide.profile_fields.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


def add_profile_field(guide: Guide, field: ProfileField) -> ProfileField:
    field.guide = guide
    field.key = unique_key(guide, field.label)
    field.position = next_position(guide.profile_fields.all())
    field.save()
    touch(guide)
    return field


# The plan: time budget, minutes per section, validation-point coverage


class BudgetState(TextChoices):
    UNDER = "under"
    EXACT = "exact"
    OVER = "over"


@dataclass(frozen=True)
class Budget:
    """The questions' minutes against the time the interview leaves for them."""

    planned: int
    interview: int
    team_reserve: int
    customer_reserve: int
    must: int
    """Minutes of the must-ask questions alone: the floor when time runs short."""

    @property
    def available(self) -> int:
        return max(0, self.interview - self.team_reserve - self.customer_reserve)

    @property
    def state(self) -> BudgetState:
        if self.planned > self.available:
            return BudgetState.OVER
        if self.planned < self.available:
            return BudgetState.UNDER
        return BudgetState.EXACT

    @property
    def difference(self) -> int:
        """Minutes over or to spare, always positive."""
        return abs(self.planned - self.available)

    @property
    def percent(self) -> int:
        """How full the time is, capped at 100, in steps of 10 (for the meter's width class)."""
        if not self.available:
            return 100 if self.planned else 0
        return min(100, round(10 * self.planned / self.available) * 10)


@dataclass(frozen=True)
class SectionPlan:
    section: Section
    questions: list[Question]

    @property
    def minutes(self) -> int:
        return sum(q.minutes for q in self.questions)


@dataclass(frozen=True)
class PointCoverage:
    point: ValidationPoint
    questions: int

    @property
    def covered(self) -> bool:
        return self.questions > 0


@dataclass(frozen=True)
class GuidePlan:
    guide: Guide
    sections: list[SectionPlan]
    profile_fields: list[ProfileField]
    coverage: list[PointCoverage]
    budget: Budget

    @property
    def question_count(self) -> int:
        return sum(len(s.questions) for s in self.sections)

    @property
    def uncovered(self) -> list[PointCoverage]:
        return [c for c in self.coverage if not c.covered]


def budget_for(guide: Guide, questions: list[Question]) -> Budget:
    return Budget(
        planned=sum(q.minutes for q in questions),
        interview=guide.interview_minutes,
        team_reserve=guide.team_reserve_minutes,
        customer_reserve=guide.customer_reserve_minutes,
        must=sum(q.minutes for q in questions if q.priority == QuestionPriority.MUST),
    )


def coverage_for(points: list[ValidationPoint], questions: list[Question]) -> list[PointCoverage]:
    """For each of the study's points, how many of the questions serve it (prefetched points)."""
    counts = dict.fromkeys((p.pk for p in points), 0)
    for question in questions:
        for point in question.points.all():
            if point.pk in counts:
                counts[point.pk] += 1
    return [PointCoverage(point=p, questions=counts[p.pk]) for p in points]


def plan_for(guide: Guide, held_at: datetime | None = None) -> GuidePlan:
    """Everything the editor and the hard copy show, in a fixed number of queries.

    The guide as it stands (without what was archived), or, for an interview held at
    `held_at`, as it stood then: parts archived since are still there (`core.archiving`)."""
    sections = list(
        guide.sections.filter(shown_at(held_at)).prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.filter(shown_at(held_at)).prefetch_related(
                    Prefetch("points", queryset=ValidationPoint.objects.order_by("position", "id"))
                ),
            )
        )
    )
    plans = [SectionPlan(section=s, questions=list(s.questions.all())) for s in sections]
    questions = [q for plan in plans for q in plan.questions]
    return GuidePlan(
        guide=guide,
        sections=plans,
        profile_fields=list(guide.profile_fields.all()),
        coverage=coverage_for(list(guide.study.points.current()), questions),
        budget=budget_for(guide, questions),
    )


def held_at(guide: Guide, raw_interview_pk: str) -> datetime | None:
    """When the interview of this guide named in a hard copy's address was held (None if it
    was not, or is not one of the guide's): its hard copy shows the guide as it was then."""
    if not raw_interview_pk.isdigit():
        return None
    started = guide.interviews.filter(pk=int(raw_interview_pk)).values_list("started_at", flat=True)
    return next(iter(started), None)
