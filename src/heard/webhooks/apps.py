from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "heard.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from heard.webhooks import receivers

        receivers.connect()
