from django.apps import AppConfig


class StudiesConfig(AppConfig):
    name = "heard.studies"
    label = "studies"
