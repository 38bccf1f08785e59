"""What the call's stage tells later stages, which it does not import: the evidence of an
interview changed (a transcript became ready, was edited, mapped or replaced; the call ended;
a note or highlight changed after it). Later stages listen (the coach computes its report
again); a receiver may only queue work, as it runs inside the sender's transaction."""

from __future__ import annotations

from django.dispatch import Signal

evidence_changed = Signal()  # sent with interview_id=<int>


def changed(interview_id: int) -> None:
    evidence_changed.send(sender=None, interview_id=interview_id)
