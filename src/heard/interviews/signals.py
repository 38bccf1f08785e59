"""What the call's stage tells later stages, which it does not import: the evidence of an
interview changed (a transcript became ready, was edited, mapped or replaced; the call ended;
a note or highlight changed after it). Later stages listen (the coach computes its report
again); a receiver may only queue work, as it runs inside the sender's transaction.

Milestones are told once their change has committed (`after_commit`), so that a change rolled
back tells nobody: an interview scheduled, a call ended, a transcript ready to read (the
webhooks tell the team's other tools)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

evidence_changed = Signal()  # sent with interview_id=<int>

interview_scheduled = Signal()  # sent with interview_id=<int>, after commit
interview_finished = Signal()  # sent with interview_id=<int>, after commit
transcript_ready = Signal()  # sent with transcript_id=<int>, after commit


def changed(interview_id: int) -> None:
    evidence_changed.send(sender=None, interview_id=interview_id)


def after_commit(signal: Signal, **values: Any) -> None:
    """Send `signal` with `values` once the current transaction commits (at once outside one);
    nothing if it rolls back. A receiver's failure is logged, never the sender's."""
    transaction.on_commit(lambda: signal.send_robust(sender=None, **values), robust=True)
