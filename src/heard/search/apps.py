from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "heard.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from heard.search import receivers

        receivers.connect()
