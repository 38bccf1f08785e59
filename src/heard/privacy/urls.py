"""A participant's requests, mounted beside the participant's page: `w/<ws>/participants/<pk>/…`."""

from django.urls import path

from heard.privacy import views

app_name = "privacy"

urlpatterns = [
    path("erase/", views.erase_participant, name="erase"),
    path("everything.zip", views.export_participant, name="export"),
]
