from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "heard.interviews"
    label = "interviews"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from heard.core.worker import worker_starting
        from heard.interviews import dependents
        from heard.interviews.calendar.services import raise_sequence_on_rename
        from heard.interviews.recordings.services import requeue_processing
        from heard.interviews.transcripts import highlights  # noqa: F401  (its receiver)
        from heard.interviews.transcripts.jobs import revive_stalled

        dependents.register_all()
        # A renamed participant retitles their interviews' calendar events.
        pre_save.connect(
            raise_sequence_on_rename,
            sender="participants.Participant",
            dispatch_uid="calendar.raise_sequence_on_rename",
        )
        # A transcription whose worker died is taken up again when a worker starts.
        worker_starting.connect(revive_stalled, dispatch_uid="transcripts.revive_stalled")
        # So is a playback copy.
        worker_starting.connect(requeue_processing, dispatch_uid="recordings.requeue_processing")
