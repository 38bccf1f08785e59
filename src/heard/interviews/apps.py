from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "heard.interviews"
    label = "interviews"
