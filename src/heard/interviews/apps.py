from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "heard.interviews"
    label = "interviews"

    def ready(self) -> None:
        from heard.core.worker import worker_starting
        from heard.interviews import dependents
        from heard.interviews.recordings.services import requeue_processing
        from heard.interviews.transcripts import highlights  # noqa: F401  (its receiver)
        from heard.interviews.transcripts.jobs import revive_stalled

        dependents.register_all()
        # A transcription whose worker died is taken up again when a worker starts.
        worker_starting.connect(revive_stalled, dispatch_uid="transcripts.revive_stalled")
        # So is a playback copy.
        worker_starting.connect(requeue_processing, dispatch_uid="recordings.requeue_processing")
