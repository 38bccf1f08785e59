from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heard.accounts"
    label = "accounts"

    def ready(self) -> None:
        from heard.accounts.invitation_mail import requeue_stranded
        from heard.accounts.tasks import schedule_audit_purge
        from heard.core.worker import worker_starting

        worker_starting.connect(requeue_stranded, dispatch_uid="accounts.requeue_stranded")
        worker_starting.connect(schedule_audit_purge, dispatch_uid="accounts.audit_purge")
