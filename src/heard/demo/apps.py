from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo workspace, built through every stage's services."""

    name = "heard.demo"
    label = "demo"
