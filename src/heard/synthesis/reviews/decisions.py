"""The decision log: what the team decided, on which findings, who agreed, and what it knew.

The method: "avoid rushing to a conclusion based on sole response". A finding that rests on
one interview, or that evidence contradicts, carries a warning wherever it is shown; deciding
on it takes more than seeing a badge: whoever records the decision acknowledges each warning
of each such finding, and the log keeps that acknowledgement with the decision. A decision is
flagged once evidence added after it contradicts a finding it rests on, or once a finding it
rests on loses evidence (`RemovedEvidence`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.signals import after_commit
from heard.studies.models import Study
from heard.synthesis import signals
from heard.synthesis.findings import services as findings
from heard.synthesis.findings.weight import Warning
from heard.synthesis.models import (
    Decision,
    Evidence,
    EvidenceBearing,
    Finding,
    RemovedEvidence,
    Review,
)
from heard.synthesis.reviews.services import ReviewError, latest_review_of, open_review_of

# How the log says what a decision was taken on, warning by warning.
DECIDED_ON = {
    "no_evidence": "no evidence",
    "unsupported": "evidence that only contradicts it",
    "single_source": "a single source",
    "contested": "contested evidence",
}


def acknowledgement_key(finding: Finding, warnings: Sequence[Warning]) -> str:
    """What the acknowledgement box of a finding sends: its id and the warnings it names, so
    that a warning that appears after the form was drawn is not taken as acknowledged."""
    return f"{finding.pk}:{','.join(w.kind for w in warnings)}"


def needing_acknowledgement(study: Study) -> list[findings.Weighed]:
    """The study's findings with a warning: deciding on one of them needs it acknowledged."""
    return [item for item in findings.findings_of(study) if item.warnings]


def _unacknowledged(
    on: Sequence[Finding], acknowledged: Iterable[str]
) -> tuple[list[findings.Weighed], list[dict[str, object]]]:
    """The warned findings of `on` whose warnings were not all acknowledged, and the record
    of those that were."""
    ticked = set(acknowledged)
    rows = findings.with_evidence(Finding.objects.filter(pk__in=[f.pk for f in on]))
    missing, record = [], []
    for item in (findings.weighed(finding) for finding in rows):
        if not item.warnings:
            continue
        if acknowledgement_key(item.finding, item.warnings) not in ticked:
            missing.append(item)
            continue
        record.append(
            {
                "finding": item.finding.pk,
                "statement": item.finding.statement,
                "warnings": [w.kind for w in item.warnings],
            }
        )
    return missing, record


class WarningsNotAcknowledged(ReviewError):
    def __init__(self, missing: Sequence[findings.Weighed]) -> None:
        self.missing = list(missing)
        named = "; ".join(
            f"“{item.finding.statement[:80]}” ({', '.join(w.title.lower() for w in item.warnings)})"
            for item in missing
        )
        super().__init__(
            f"Acknowledge the warnings of the findings you decide on first: {named}. One "
            "response is not a pattern."
        )


@transaction.atomic
def record_decision(
    review: Review,
    user: User,
    text: str,
    on: Sequence[Finding],
    agreed_by: Sequence[User],
    acknowledged: Iterable[str] = (),
) -> Decision:
    """Record a decision on findings of the review's study; each warned finding among them
    needs its warnings acknowledged (`acknowledgement_key`), and the decision keeps them."""
    if any(f.study_id != review.study_id for f in on):
        raise ReviewError("A decision rests on findings of this study.")
    missing, record = _unacknowledged(on, acknowledged)
    if missing:
        raise WarningsNotAcknowledged(missing)
    decision = Decision.objects.create(
        study=review.study,
        review=review,
        text=text,
        recorded_by=user,
        decided_at=timezone.now(),
        warnings_acknowledged=record,
    )
    decision.findings.set(on)
    decision.agreed_by.set(agreed_by)
    after_commit(signals.decision_recorded, decision_id=decision.pk)
    return decision


# The decision log -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledged:
    """A finding the decision was taken on despite its warnings, as the log says it."""

    finding: int
    statement: str
    decided_on: str
    """"a single source and contested evidence"."""


def _acknowledged(decision: Decision) -> list[Acknowledged]:
    found = []
    for entry in decision.warnings_acknowledged:
        said = [DECIDED_ON.get(kind, kind) for kind in entry.get("warnings", [])]
        decided_on = " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
        found.append(Acknowledged(entry.get("finding"), entry.get("statement", ""), decided_on))
    return found


@dataclass
class Logged:
    decision: Decision
    findings: list[Finding]
    agreed_by: list[User]
    contradicted_by: list[Evidence] = field(default_factory=list)
    """Contradicting evidence added to its findings after it was decided."""
    acknowledged: list[Acknowledged] = field(default_factory=list)
    """The findings it was decided on despite their warnings."""
    removed_since: list[RemovedEvidence] = field(default_factory=list)
    """Evidence its findings lost after it was decided (a quote removed from its summary,
    evidence taken off a finding): it rested on more than they show now."""

    @property
    def flagged(self) -> bool:
        return bool(self.contradicted_by or self.removed_since)


def contradicted_after(decision: Decision, evidence: Iterable[Evidence]) -> list[Evidence]:
    """The contradicting evidence that came (or turned against) after the decision."""
    return [
        e
        for e in evidence
        if e.bearing == EvidenceBearing.CONTRADICTS and e.updated_at > decision.decided_at
    ]


def decision_log(study: Study, review: Review | None = None) -> list[Logged]:
    """The study's decisions (or one review's), newest first, each with what contradicts it
    since: a fixed number of queries however many decisions and findings."""
    decisions = study.decisions.all() if review is None else review.decisions.all()
    against = findings.evidence_rows().filter(bearing=EvidenceBearing.CONTRADICTS)
    rows = decisions.select_related("recorded_by", "review").prefetch_related(
        Prefetch("agreed_by", queryset=User.objects.order_by("name", "id")),
        Prefetch(
            "findings",
            queryset=Finding.objects.order_by("created_at", "id").prefetch_related(
                Prefetch("evidence", queryset=against, to_attr="against"),
                Prefetch(
                    "removed_evidence",
                    queryset=RemovedEvidence.objects.select_related(
                        "finding", "removed_by", "interview__participant"
                    ),
                    to_attr="removed",
                ),
            ),
        ),
    )
    logged = []
    for decision in rows:
        on = list(decision.findings.all())
        late = [e for f in on for e in contradicted_after(decision, f.against)]  # type: ignore[attr-defined]
        lost = [r for f in on for r in f.removed if r.removed_at > decision.decided_at]  # type: ignore[attr-defined]
        people = list(decision.agreed_by.all())
        logged.append(Logged(decision, on, people, late, _acknowledged(decision), lost))
    return logged


def resting_on(on: Iterable[Finding]) -> list[Decision]:
    """The decisions taken on any of these findings, newest first."""
    return list(
        Decision.objects.filter(findings__in=[f.pk for f in on])
        .distinct()
        .order_by("-decided_at", "-id")
    )


def flagged_count(study: Study) -> int:
    return sum(1 for entry in decision_log(study) if entry.flagged)


@dataclass(frozen=True)
class Overview:
    """Where the study stands after the interviews, for its page."""

    findings: int
    review: Review | None
    """The open review, or else the latest."""
    decisions: int
    flagged: int


def overview(study: Study) -> Overview:
    logged = decision_log(study)
    return Overview(
        findings=study.findings.count(),
        review=open_review_of(study) or latest_review_of(study),
        decisions=len(logged),
        flagged=sum(1 for entry in logged if entry.flagged),
    )
