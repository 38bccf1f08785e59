from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "heard.followups"
    label = "followups"
