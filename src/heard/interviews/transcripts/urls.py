"""An interview's transcripts, mounted at `w/<ws>/interviews/<pk>/transcripts/`."""

from django.urls import path

from heard.interviews.transcripts import highlight_views, page, views

app_name = "transcripts"

urlpatterns = [
    path("", views.transcripts_card, name="card"),
    path("transcribe/", views.transcript_start, name="start"),
    path("import/", views.transcript_import, name="import"),
    path("speakers/", views.transcript_speakers, name="speakers"),
    path("<int:transcript_pk>/", views.transcript_detail, name="detail"),
    path(
        "<int:transcript_pk>/segments/<int:segment_pk>/",
        page.segment_edit,
        name="segment",
    ),
    path("<int:transcript_pk>/highlight/", highlight_views.highlight_new, name="highlight"),
    path(
        "<int:transcript_pk>/highlights/<uuid:note_pk>/",
        highlight_views.highlight_edit,
        name="highlight_edit",
    ),
    path(
        "<int:transcript_pk>/highlights/<uuid:note_pk>/delete/",
        highlight_views.highlight_delete,
        name="highlight_delete",
    ),
    path("<int:transcript_pk>/offset/", page.recording_offset, name="offset"),
    path("<int:transcript_pk>/cancel/", views.transcript_cancel, name="cancel"),
    path("<int:transcript_pk>/retry/", views.transcript_retry, name="retry"),
    path("<int:transcript_pk>/delete/", views.transcript_delete, name="delete"),
    path("<int:transcript_pk>/download/<str:fmt>/", views.transcript_download, name="download"),
]
