from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heard.accounts"
    label = "accounts"

    def ready(self) -> None:
        from heard.accounts.invitation_mail import requeue_stranded
        from heard.core.worker import worker_starting

        worker_starting.connect(requeue_stranded, dispatch_uid="accounts.requeue_stranded")
