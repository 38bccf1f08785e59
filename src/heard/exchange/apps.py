from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "heard.exchange"
    label = "exchange"
    verbose_name = "REFI-QDA exchange"

    def ready(self) -> None:
        from heard.core.worker import worker_starting
        from heard.exchange.services import requeue

        worker_starting.connect(requeue, dispatch_uid="exchange.requeue")
