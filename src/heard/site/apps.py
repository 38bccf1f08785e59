from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The shell on top of the stages: the home pages and the command that serves them."""

    name = "heard.site"
    label = "site"
