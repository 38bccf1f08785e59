"""Where the events come from: the signals earlier stages send once a change has committed
(an interview scheduled or finished, a transcript ready, a summary final, a finding's
alignment, a decision), and the erasure's tombstone being written. `connect` is called once,
as the app is ready."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from heard.interviews import signals as call
from heard.synthesis import signals as synthesis
from heard.webhooks import events


def _on_erasure(sender: Any, instance: Any, created: bool = False, **_: Any) -> None:
    """An erasure's tombstone (`privacy.Erasure`) was written, inside the erasure's
    transaction: its event is made once that commits."""
    if not created:
        return
    workspace_id, participant_id, erased_at = (
        instance.workspace_id,
        instance.participant_id,
        instance.erased_at,
    )
    transaction.on_commit(
        lambda: events.emit(events.participant_erased(workspace_id, participant_id, erased_at)),
        robust=True,
    )


def connect() -> None:
    from heard.core.worker import worker_starting
    from heard.webhooks.sending import on_worker_starting

    uid = "heard.webhooks"
    for signal, build in (
        (call.interview_scheduled, events.interview_scheduled),
        (call.interview_finished, events.interview_finished),
        (call.transcript_ready, events.transcript_ready),
        (synthesis.summary_finalised, events.summary_finalised),
        (synthesis.alignment_changed, events.finding_alignment),
        (synthesis.decision_recorded, events.decision_recorded),
    ):
        signal.connect(events.emitting(build), weak=False, dispatch_uid=f"{uid}.{build.__name__}")
    # The tombstone's model is named, not imported: privacy reads this app's texts to scrub.
    post_save.connect(_on_erasure, sender="privacy.Erasure", dispatch_uid=f"{uid}.erasure")
    worker_starting.connect(on_worker_starting, dispatch_uid=f"{uid}.worker_starting")
