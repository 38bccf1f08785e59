from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "heard.guides"
    label = "guides"
