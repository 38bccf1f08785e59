from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "heard.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from heard.core.worker import worker_starting
        from heard.privacy.tasks import on_worker_starting

        worker_starting.connect(on_worker_starting, dispatch_uid="privacy.retention")
