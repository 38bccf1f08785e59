from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "heard.interviews"
    label = "interviews"

    def ready(self) -> None:
        from heard.interviews import dependents

        dependents.register_all()
