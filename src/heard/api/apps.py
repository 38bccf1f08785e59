from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "heard.api"
    label = "api"
    verbose_name = "API"
