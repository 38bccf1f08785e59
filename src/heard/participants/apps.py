from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "heard.participants"
    label = "participants"
