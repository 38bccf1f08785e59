from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "heard.followups"
    label = "followups"

    def ready(self) -> None:
        from heard.core.worker import worker_starting
        from heard.followups.services import requeue_stranded

        worker_starting.connect(requeue_stranded, dispatch_uid="followups.requeue_stranded")
