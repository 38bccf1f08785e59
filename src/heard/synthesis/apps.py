from django.apps import AppConfig


class SynthesisConfig(AppConfig):
    name = "heard.synthesis"
    label = "synthesis"
