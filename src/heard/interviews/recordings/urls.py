"""An interview's recordings, mounted at `w/<ws>/interviews/<pk>/recordings/`."""

from django.urls import path

from heard.interviews.recordings import views

app_name = "recordings"

urlpatterns = [
    path("", views.recordings_list, name="list"),
    path("upload/", views.recording_upload, name="upload"),
    path("start/", views.recording_start, name="start"),
    path("<int:recording_pk>/chunk/", views.recording_chunk, name="chunk"),
    path("<int:recording_pk>/delete/", views.recording_delete, name="delete"),
    path("<int:recording_pk>/original/", views.recording_original, name="original"),
    path("<int:recording_pk>/play/", views.recording_play, name="play"),
]
