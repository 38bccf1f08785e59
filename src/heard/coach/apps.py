from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "heard.coach"
    label = "coach"
    verbose_name = "Interviewer coach"

    def ready(self) -> None:
        from heard.coach import services

        services.connect()
