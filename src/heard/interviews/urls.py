from django.urls import path

from heard.interviews import live_views, views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="list"),
    path("new/", views.interview_create, name="create"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/edit/", views.interview_edit, name="edit"),
    path("<int:pk>/cancel/", views.interview_cancel, name="cancel"),
    path("<int:pk>/reinstate/", views.interview_reinstate, name="reinstate"),
    path("<int:pk>/invitation.ics", views.interview_ics, name="ics"),
    path("<int:pk>/team/add/", views.team_add, name="team_add"),
    path("<int:interview_pk>/team/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("<int:interview_pk>/team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path(
        "<int:interview_pk>/checklist/<int:pk>/toggle/",
        views.checklist_toggle,
        name="checklist_toggle",
    ),
    path("<int:pk>/live/", live_views.live_page, name="live"),
    path("<int:pk>/live/state/", live_views.live_state, name="live_state"),
    path("<int:pk>/live/events/", live_views.live_events, name="live_events"),
    path("<int:pk>/live/stream/", live_views.live_stream, name="live_stream"),
    path("<int:pk>/live/notes/", live_views.note_save, name="live_note_save"),
    path(
        "<int:pk>/live/notes/<uuid:note_id>/delete/",
        live_views.note_delete,
        name="live_note_delete",
    ),
    path(
        "<int:pk>/live/notes/<uuid:note_id>/restore/",
        live_views.note_restore,
        name="live_note_restore",
    ),
    path(
        "<int:pk>/live/questions/<int:question_id>/",
        live_views.question_status,
        name="live_question",
    ),
    path("<int:pk>/live/start/", live_views.start, name="live_start"),
    path("<int:pk>/live/consent/", live_views.consent, name="live_consent"),
    path("<int:pk>/live/intros/", live_views.intros, name="live_intros"),
    path("<int:pk>/live/reserves/", live_views.reserves, name="live_reserves"),
    path("<int:pk>/live/queue/", live_views.queue_add, name="live_queue"),
    path(
        "<int:pk>/live/queue/<int:item_id>/asked/", live_views.queue_asked, name="live_queue_asked"
    ),
    path("<int:pk>/live/end/", live_views.end, name="live_end"),
    path("<int:pk>/wrap-up/", live_views.wrapup, name="wrapup"),
]
