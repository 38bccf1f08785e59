from django.apps import AppConfig


class SynthesisConfig(AppConfig):
    name = "heard.synthesis"
    label = "synthesis"

    def ready(self) -> None:
        from heard.synthesis import dependents

        dependents.register_all()
