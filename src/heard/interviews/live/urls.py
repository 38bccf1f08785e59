"""The live call's routes, under /w/<ws>/interviews/<pk>/ and in the `interviews` namespace
(interviews/urls.py includes them)."""

from django.urls import path

from heard.interviews.live import views

urlpatterns = [
    path("live/", views.live_page, name="live"),
    path("live/state/", views.live_state, name="live_state"),
    path("live/events/", views.live_events, name="live_events"),
    path("live/stream/", views.live_stream, name="live_stream"),
    path("live/notes/", views.note_save, name="live_note_save"),
    path("live/notes/<uuid:note_id>/delete/", views.note_delete, name="live_note_delete"),
    path("live/notes/<uuid:note_id>/restore/", views.note_restore, name="live_note_restore"),
    path("live/questions/<int:question_id>/", views.question_status, name="live_question"),
    path("live/start/", views.start, name="live_start"),
    path("live/consent/", views.consent, name="live_consent"),
    path("live/intros/", views.intros, name="live_intros"),
    path("live/reserves/", views.reserves, name="live_reserves"),
    path("live/queue/", views.queue_add, name="live_queue"),
    path("live/queue/<int:item_id>/asked/", views.queue_asked, name="live_queue_asked"),
    path("live/end/", views.end, name="live_end"),
    path("wrap-up/", views.wrapup, name="wrapup"),
    path(
        "wrap-up/notes/<uuid:note_id>/question/",
        views.wrapup_note_question,
        name="wrapup_note_question",
    ),
]
