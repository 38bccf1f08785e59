"""A participant's requests beside their page, the retention policy among the workspace's
settings, an interview's hold on it and its redaction page: all mounted at `w/<ws>/`."""

from django.urls import path

from heard.privacy import redaction_views, views

app_name = "privacy"

urlpatterns = [
    path("participants/<int:pk>/erase/", views.erase_participant, name="erase"),
    path("participants/<int:pk>/everything.zip", views.export_participant, name="export"),
    path("settings/retention/", views.retention_policy, name="retention"),
    path("interviews/<int:pk>/retention/", views.retention_hold, name="retention_hold"),
    path("interviews/<int:pk>/redact/", redaction_views.redact, name="redact"),
]
